package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.testfixtures.MapVault;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.transfer.grpc.TestContent;
import io.kakehashi.transfer.spi.RecordSource;
import org.eclipse.edc.boot.system.injection.ObjectFactory;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessListener;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessObservable;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessStartedData;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.DataFlowStates;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceService;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceServiceRegistry;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.connector.dataplane.spi.iam.PublicEndpointGeneratorService;
import org.eclipse.edc.connector.dataplane.spi.pipeline.PipelineService;
import org.eclipse.edc.connector.dataplane.spi.pipeline.TransferService;
import org.eclipse.edc.connector.dataplane.spi.registry.TransferServiceRegistry;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.junit.extensions.DependencyInjectionExtension;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.eclipse.edc.spi.types.domain.transfer.FlowType;
import org.eclipse.edc.spi.types.domain.transfer.TransferType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.kakehashi.transfer.spi.RecordSourceRegistry;
import io.kakehashi.transfer.spi.TransferProgressService;
import org.eclipse.edc.spi.system.ServiceExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The data plane's extensions (server, PULL, PUSH, consumer, validators) in a dependency-injection context with EDC's data-plane and control-plane services mocked: one
 * runtime plays provider and consumer against its own TLS gRPC endpoint, driven the way EDC drives it (EDR creation
 * and revocation, the transfer-service registry, transfer-process events).
 */
@ExtendWith(DependencyInjectionExtension.class)
class GrpcDataPlaneExtensionsTest {

    private static final long SIZE = 2L * 1024 * 1024 + 7;

    @TempDir
    Path dir;

    private final MapVault vault = new MapVault();
    private final FakeAccessTokens tokens = new FakeAccessTokens();
    private final Map<String, DataFlow> flows = new ConcurrentHashMap<>();
    private final DataPlaneStore store = mock();
    private final EndpointDataReferenceServiceRegistry edrRegistry = mock();
    private final TransferServiceRegistry transferServices = mock();
    private final TransferProcessObservable observable = mock();
    private final TransferProcessService processes = mock();
    private final ContractNegotiationStore agreements = mock();
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private final List<ServiceExtension> started = new ArrayList<>();
    private ServiceExtensionContext context;
    private RangeFileServer backend;
    private Map<String, String> settings;

    @BeforeEach
    void setUp(ServiceExtensionContext context) throws IOException {
        var port = Ports.freePort();
        settings = Map.of(
                GrpcEndpointSettings.PORT, String.valueOf(port),
                GrpcTransferSettings.TOKEN_RECHECK, "PT0.2S",
                "edc.participant.id", "test-participant");
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(settings));
        when(store.findById(anyString())).thenAnswer(call -> flows.get(call.<String>getArgument(0)));
        when(processes.complete(anyString())).thenReturn(ServiceResult.success());
        when(processes.terminate(any())).thenReturn(ServiceResult.success());
        when(agreements.findContractAgreement(anyString())).thenAnswer(call -> {
            var policy = policies.get(call.<String>getArgument(0));
            return policy == null ? null : ContractAgreement.Builder.newInstance().id(call.getArgument(0))
                    .providerId("provider").consumerId("consumer").assetId("asset").policy(policy).build();
        });
        context.registerService(org.eclipse.edc.spi.monitor.Monitor.class,
                new org.eclipse.edc.spi.monitor.ConsoleMonitor(org.eclipse.edc.spi.monitor.ConsoleMonitor.Level.WARNING, false));
        context.registerService(Vault.class, vault);
        // a real registry: the injection extension would otherwise hand the extension a mock without meters
        context.registerService(io.micrometer.core.instrument.MeterRegistry.class, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        context.registerService(SingleParticipantContextSupplier.class, () -> ServiceResult.success(
                ParticipantContext.Builder.newInstance().participantContextId("test-participant").identity("test-participant").build()));
        context.registerService(Clock.class, Clock.systemUTC());
        context.registerService(DataPlaneAccessTokenService.class, tokens);
        context.registerService(DataPlaneStore.class, store);
        context.registerService(EndpointDataReferenceServiceRegistry.class, edrRegistry);
        context.registerService(PublicEndpointGeneratorService.class, mock(PublicEndpointGeneratorService.class));
        context.registerService(TransferServiceRegistry.class, transferServices);
        context.registerService(PipelineService.class, mock(PipelineService.class));
        context.registerService(TransferProcessObservable.class, observable);
        context.registerService(TransferProcessService.class, processes);
        context.registerService(ContractNegotiationStore.class, agreements);
        // every agreement here is usable; TerminatedAgreementTransferTest covers the refusals
        context.registerService(io.kakehashi.policy.spi.AgreementStatus.class, agreementId -> org.eclipse.edc.spi.result.Result.success());
    }

    @AfterEach
    void tearDown() {
        // in reverse, as the runtime shuts its extensions down
        for (var i = started.size() - 1; i >= 0; i--) {
            started.get(i).shutdown();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Constructs and initializes each extension in the runtime's order, each seeing what the earlier ones provide, then starts them. */
    private void start(ServiceExtensionContext context, ObjectFactory factory) {
        this.context = context;
        var extensions = new ArrayList<ServiceExtension>();
        for (var type : List.of(GrpcTransferServerExtension.class, GrpcPullExtension.class, GrpcPushExtension.class,
                GrpcConsumerTransfersExtension.class, GrpcStreamValidatorsExtension.class)) {
            var extension = factory.constructInstance(type);
            extension.initialize(context);
            extensions.add(extension);
        }
        extensions.forEach(extension -> {
            extension.start();
            started.add(extension);
        });
    }

    private TransferProgressService progress() {
        return context.getService(TransferProgressService.class);
    }

    private RecordSourceRegistry recordSources() {
        return context.getService(RecordSourceRegistry.class);
    }

    private EndpointDataReferenceService edrService() {
        var captor = ArgumentCaptor.forClass(EndpointDataReferenceService.class);
        verify(edrRegistry).register(eq(GrpcStreamAddresses.TYPE), captor.capture());
        return captor.getValue();
    }

    private TransferService pushService() {
        var captor = ArgumentCaptor.forClass(TransferService.class);
        verify(transferServices).registerTransferService(eq(10), captor.capture());
        return captor.getValue();
    }

    private TransferProcessListener consumer() {
        var captor = ArgumentCaptor.forClass(TransferProcessListener.class);
        verify(observable).registerListener(captor.capture());
        return captor.getValue();
    }

    private DataFlow flow(String id, DataAddress source, FlowType type, int state) {
        var flow = DataFlow.Builder.newInstance().id(id).source(source)
                .destination(DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).build())
                .transferType(new TransferType(GrpcStreamAddresses.TYPE, type))
                .agreementId("agreement-" + id).assetId("asset").participantId("consumer").state(state).build();
        flows.put(id, flow);
        return flow;
    }

    private DataAddress httpSource(Path file) throws IOException {
        backend = new RangeFileServer(file);
        return DataAddress.Builder.newInstance().type("HttpData").property("baseUrl", backend.url()).build();
    }

    private static TransferProcess consumerProcess(String id, String transferType, String providerId, Path destination) {
        return TransferProcess.Builder.newInstance().id(id).type(TransferProcess.Type.CONSUMER).transferType(transferType)
                .correlationId(providerId).contractId("agreement-" + providerId).assetId("asset")
                .privateProperties(Map.of(GrpcStreamAddresses.DESTINATION_PATH, destination.toString())).build();
    }

    @Test
    void initialize_whenSettingInvalid_shouldFailNamingTheKey(ServiceExtensionContext context, ObjectFactory factory) {
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(Map.of(GrpcTransferSettings.TOKEN_LIFETIME, "1h")));
        var badLifetime = factory.constructInstance(GrpcTransferServerExtension.class);
        assertThatThrownBy(() -> badLifetime.initialize(context)).isInstanceOf(EdcException.class)
                .hasMessageContaining(GrpcTransferSettings.TOKEN_LIFETIME);

        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(Map.of(GrpcTransferSettings.CHUNK_SIZE, "16")));
        var badChunk = factory.constructInstance(GrpcTransferServerExtension.class);
        assertThatThrownBy(() -> badChunk.initialize(context)).isInstanceOf(EdcException.class)
                .hasMessageContaining(GrpcTransferSettings.CHUNK_SIZE);

        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(Map.of(GrpcEndpointSettings.PORT, "70000")));
        var badPort = factory.constructInstance(GrpcTransferServerExtension.class);
        assertThatThrownBy(() -> badPort.initialize(context)).isInstanceOf(EdcException.class)
                .hasMessageContaining(GrpcEndpointSettings.PORT);
    }

    @Test
    void initialize_shouldMakeTlsIdentityOnceAndKeepItInTheVault(ServiceExtensionContext context, ObjectFactory factory) {
        start(context, factory);

        assertThat(vault.secrets).containsKeys("kakehashi-grpc-tls-key", "kakehashi-grpc-tls-cert");
    }

    @Test
    void pull_whenConsumerProcessStarts_shouldPullOverTlsAndCompleteTheProcess(ServiceExtensionContext context,
                                                                               ObjectFactory factory) throws Exception {
        start(context, factory);
        var file = TestContent.file(dir, "asset.bin", SIZE, 1);
        var flow = flow("provider-1", httpSource(file), FlowType.PULL, DataFlowStates.STARTED.code());
        var edr = edrService().createEndpointDataReference(flow).orElseThrow(f -> new AssertionError(f.getFailureDetail()));
        assertThat(edr.getStringProperty(GrpcStreamAddresses.ENDPOINT)).startsWith("grpcs://127.0.0.1:").contains("/bulk?sha256=");
        var destination = dir.resolve("received/asset.bin");

        consumer().started(consumerProcess("consumer-1", GrpcStreamAddresses.PULL, "provider-1", destination),
                TransferProcessStartedData.Builder.newInstance().dataAddress(edr).build());

        verify(processes, timeout(10_000)).complete("consumer-1");
        assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
        assertThat(progress().progress("provider-1")).get()
                .satisfies(progress -> assertThat(progress.percentage()).isEqualTo(100.0));
        assertThat(progress().progress("consumer-1")).get().satisfies(progress -> {
            assertThat(progress.state()).isEqualTo("COMPLETED");
            assertThat(progress.bytes()).isEqualTo(SIZE);
            assertThat(progress.percentage()).isEqualTo(100.0);
        });
    }

    @Test
    void pull_whenTokenRevokedBeforeTheCall_shouldTerminateTheConsumerProcess(ServiceExtensionContext context,
                                                                             ObjectFactory factory) throws Exception {
        start(context, factory);
        var file = TestContent.file(dir, "asset.bin", SIZE, 2);
        var flow = flow("provider-2", httpSource(file), FlowType.PULL, DataFlowStates.STARTED.code());
        var edr = edrService().createEndpointDataReference(flow).orElseThrow(f -> new AssertionError(f.getFailureDetail()));
        tokens.revoke("provider-2", "test");
        var destination = dir.resolve("received/asset.bin");

        consumer().started(consumerProcess("consumer-2", GrpcStreamAddresses.PULL, "provider-2", destination),
                TransferProcessStartedData.Builder.newInstance().dataAddress(edr).build());

        verify(processes, timeout(10_000)).terminate(argThat((TerminateTransferCommand command) ->
                command.getEntityId().equals("consumer-2") && command.getReason().contains("UNAUTHENTICATED")));
        assertThat(destination).doesNotExist();
    }

    @Test
    void push_whenConsumerCreatesProcess_shouldGiveProviderASinkAndDeliverIdenticalFile(ServiceExtensionContext context,
                                                                                        ObjectFactory factory) throws Exception {
        start(context, factory);
        var destination = dir.resolve("pushed/asset.bin");
        var process = consumerProcess("consumer-3", GrpcStreamAddresses.PUSH, "provider-3", destination);
        process.updateDestination(DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).build());

        consumer().preCreated(process);

        var sinkAddress = process.getDataDestination();
        assertThat(sinkAddress.getProperties().values()).noneMatch(value -> String.valueOf(value).contains(dir.toString()));
        var file = TestContent.file(dir, "asset.bin", SIZE, 3);
        var source = httpSource(file);
        flow("provider-3", source, FlowType.PUSH, DataFlowStates.STARTED.code());
        var request = DataFlowStartMessage.Builder.newInstance().processId("provider-3").assetId("asset").agreementId("agreement-provider-3")
                .participantId("consumer").sourceDataAddress(source).destinationDataAddress(sinkAddress)
                .transferType(new TransferType(GrpcStreamAddresses.TYPE, FlowType.PUSH)).build();
        var pushService = pushService();
        assertThat(pushService.canHandle(request)).isTrue();

        var result = pushService.transfer(request).get(20, TimeUnit.SECONDS);

        assertThat(result.succeeded()).as(String.valueOf(result.getFailureDetail())).isTrue();
        assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
    }

    @Test
    void pullStream_whenSuspendedAndResumed_shouldContinueWithNoLossAndStopWhenTerminated(ServiceExtensionContext context,
                                                                                           ObjectFactory factory) throws Exception {
        start(context, factory);
        var produced = new AtomicLong();
        recordSources().register("telemetry", address -> new CountingTelemetry(produced));
        var source = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.RECORD_STREAM_TYPE)
                .property(GrpcStreamAddresses.RECORD_SOURCE, "telemetry").build();
        var flow = flow("provider-4", source, FlowType.PULL, DataFlowStates.STARTED.code());
        var edrs = edrService();
        var destination = dir.resolve("telemetry.jsonl");
        var process = consumerProcess("consumer-4", GrpcStreamAddresses.PULL, "provider-4", destination);
        var listener = consumer();
        listener.started(process, TransferProcessStartedData.Builder.newInstance()
                .dataAddress(edrs.createEndpointDataReference(flow).getContent()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(destination) >= 100);

        // the provider's control plane suspends: EDC revokes the EDR, the flow is SUSPENDED
        flow("provider-4", source, FlowType.PULL, DataFlowStates.SUSPENDED.code());
        edrs.revokeEndpointDataReference("provider-4", "suspended");
        listener.suspended(process);
        var atSuspend = awaitStable(destination);

        // resumed: a new EDR, the consumer's process STARTED again
        var resumed = flow("provider-4", source, FlowType.PULL, DataFlowStates.STARTED.code());
        listener.started(process, TransferProcessStartedData.Builder.newInstance()
                .dataAddress(edrs.createEndpointDataReference(resumed).getContent()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(destination) >= atSuspend + 100);

        flow("provider-4", source, FlowType.PULL, DataFlowStates.TERMINATED.code());
        edrs.revokeEndpointDataReference("provider-4", "terminated");
        listener.terminated(process);
        var atEnd = awaitStable(destination);
        assertThat(atEnd).isGreaterThanOrEqualTo(atSuspend + 100);

        var received = Files.readAllLines(destination, StandardCharsets.UTF_8);
        for (var i = 0; i < received.size(); i++) {
            assertThat(received.get(i)).isEqualTo("{\"seq\":" + i + "}");
        }
    }

    @Test
    void pullStream_whenAgreementLimitsMessages_shouldEndWithQuotaAndTerminate(ServiceExtensionContext context,
                                                                              ObjectFactory factory) throws Exception {
        start(context, factory);
        policies.put("agreement-provider-5", Policy.Builder.newInstance().permission(Permission.Builder.newInstance()
                .action(Action.Builder.newInstance().type("use").build())
                .constraint(AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(KakehashiPolicy.TRANSFER_MAX_MESSAGES))
                        .operator(Operator.LEQ).rightExpression(new LiteralExpression("40")).build())
                .build()).build());
        recordSources().register("telemetry", address -> new CountingTelemetry(new AtomicLong()));
        var source = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.RECORD_STREAM_TYPE)
                .property(GrpcStreamAddresses.RECORD_SOURCE, "telemetry").build();
        var flow = flow("provider-5", source, FlowType.PULL, DataFlowStates.STARTED.code());
        var destination = dir.resolve("limited.jsonl");

        consumer().started(consumerProcess("consumer-5", GrpcStreamAddresses.PULL, "provider-5", destination),
                TransferProcessStartedData.Builder.newInstance().dataAddress(edrService().createEndpointDataReference(flow).getContent()).build());

        verify(processes, timeout(10_000)).terminate(argThat((TerminateTransferCommand command) ->
                command.getReason().contains("RESOURCE_EXHAUSTED") && command.getReason().contains("message quota of 40")));
        assertThat(lines(destination)).isEqualTo(40);
    }

    /** Settings for record files: served from {@code served/} under the test directory, positions in {@code state/}. */
    private Path serveRecordFiles(ServiceExtensionContext context) throws IOException {
        var served = Files.createDirectories(dir.resolve("served"));
        var withFiles = new java.util.HashMap<>(settings);
        withFiles.put(RecordFileSettings.STREAM_DIRECTORY, served.toString());
        withFiles.put(RecordFileSettings.STREAM_STATE_DIRECTORY, dir.resolve("state").toString());
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(withFiles));
        return served;
    }

    private static DataAddress recordFile(String name) {
        return DataAddress.Builder.newInstance().type(GrpcStreamAddresses.RECORD_STREAM_TYPE)
                .property(GrpcStreamAddresses.RECORD_FILE, name).build();
    }

    @Test
    void pullStream_whenAssetIsARecordFile_shouldDeliverTheLinesAppendedToIt(ServiceExtensionContext context,
                                                                             ObjectFactory factory) throws Exception {
        var served = serveRecordFiles(context);
        var file = served.resolve("machines.jsonl");
        Files.writeString(file, "{\"seq\":0}\n{\"seq\":1}\n");
        start(context, factory);
        var flow = flow("provider-6", recordFile("machines.jsonl"), FlowType.PULL, DataFlowStates.STARTED.code());
        var destination = dir.resolve("received.jsonl");
        var process = consumerProcess("consumer-6", GrpcStreamAddresses.PULL, "provider-6", destination);
        var listener = consumer();

        listener.started(process, TransferProcessStartedData.Builder.newInstance()
                .dataAddress(edrService().createEndpointDataReference(flow).getContent()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(destination) == 2);
        Files.writeString(file, "{\"seq\":2}\n{\"seq\":", java.nio.file.StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(destination) == 3);
        Files.writeString(file, "3}\n", java.nio.file.StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(destination) == 4);

        flow("provider-6", recordFile("machines.jsonl"), FlowType.PULL, DataFlowStates.TERMINATED.code());
        edrService().revokeEndpointDataReference("provider-6", "terminated");
        listener.terminated(process);
        assertThat(Files.readAllLines(destination)).containsExactly("{\"seq\":0}", "{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
    }

    @Test
    void createEndpointDataReference_whenRecordFileMissing_shouldRefuseTheStartNamingIt(ServiceExtensionContext context,
                                                                                       ObjectFactory factory) throws IOException {
        serveRecordFiles(context);
        start(context, factory);
        var flow = flow("provider-7", recordFile("not-yet.jsonl"), FlowType.PULL, DataFlowStates.STARTED.code());

        var edr = edrService().createEndpointDataReference(flow);

        assertThat(edr.failed()).isTrue();
        assertThat(edr.getFailureDetail()).contains("'not-yet.jsonl' does not exist");
    }

    @Test
    void sourceValidator_whenRecordFileOutsideTheDirectoryOrAmbiguous_shouldRefuseTheAsset(ServiceExtensionContext context,
                                                                                          ObjectFactory factory) throws IOException {
        serveRecordFiles(context);
        var validators = mock(org.eclipse.edc.validator.spi.DataAddressValidatorRegistry.class);
        context.registerService(org.eclipse.edc.validator.spi.DataAddressValidatorRegistry.class, validators);
        start(context, factory);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<org.eclipse.edc.validator.spi.Validator<DataAddress>> captor =
                ArgumentCaptor.forClass(org.eclipse.edc.validator.spi.Validator.class);
        verify(validators).registerSourceValidator(eq(GrpcStreamAddresses.RECORD_STREAM_TYPE), captor.capture());
        var validator = captor.getValue();

        assertThat(validator.validate(recordFile("line-1/machines.jsonl")).succeeded()).isTrue();
        var outside = validator.validate(recordFile("../../etc/passwd"));
        assertThat(outside.failed()).isTrue();
        assertThat(outside.getFailureMessages().toString()).contains("outside").contains(RecordFileSettings.STREAM_DIRECTORY);
        var both = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.RECORD_STREAM_TYPE)
                .property(GrpcStreamAddresses.RECORD_FILE, "a.jsonl").property(GrpcStreamAddresses.RECORD_SOURCE, "gen").build();
        assertThat(validator.validate(both).failed()).isTrue();
    }

    @Test
    void initialize_whenRecordFileDirectoryMissing_shouldFailNamingTheKey(ServiceExtensionContext context, ObjectFactory factory) {
        var withMissing = new java.util.HashMap<>(settings);
        withMissing.put(RecordFileSettings.STREAM_DIRECTORY, dir.resolve("no-such-directory").toString());
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(withMissing));

        assertThatThrownBy(() -> factory.constructInstance(GrpcTransferServerExtension.class).initialize(context))
                .isInstanceOf(EdcException.class).hasMessageContaining(RecordFileSettings.STREAM_DIRECTORY);
    }

    /** Waits until the file stops growing and answers its line count. */
    private static long awaitStable(Path file) {
        return io.kakehashi.transfer.grpc.Awaits.stable(() -> lines(file));
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return stream.count();
        }
    }

    /** Telemetry for tests: {"seq":n} for the n-th record produced. */
    private static final class CountingTelemetry implements RecordSource {
        private final AtomicLong produced;

        private CountingTelemetry(AtomicLong produced) {
            this.produced = produced;
        }

        @Override
        public byte[] next(Duration maxWait) {
            return ("{\"seq\":" + produced.getAndIncrement() + "}").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String contentType() {
            return "application/json";
        }
    }

}
