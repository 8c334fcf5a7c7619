package io.kakehashi.transfer.grpc.edc;

import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.kakehashi.core.spi.participant.OwnParticipant;
import io.kakehashi.core.spi.tls.PeerTls;
import io.kakehashi.core.spi.settings.SettingValues;
import io.kakehashi.policy.spi.AgreementStatus;
import io.kakehashi.policy.spi.ConsentFilter;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.GrpcTransferServer;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.bulk.BulkSource;
import io.kakehashi.transfer.grpc.bulk.ConsentNarrowedSources;
import io.kakehashi.transfer.grpc.bulk.BulkTransferService;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeterBinder;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.stream.RecordFiles;
import io.kakehashi.transfer.grpc.stream.RecordSink;
import io.kakehashi.transfer.grpc.stream.RecordSources;
import io.kakehashi.transfer.grpc.stream.RecordStream;
import io.kakehashi.transfer.grpc.stream.RecordStreamService;
import io.kakehashi.transfer.grpc.tls.GrpcTlsIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessObservable;
import org.eclipse.edc.connector.dataplane.spi.Endpoint;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceServiceRegistry;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.connector.dataplane.spi.iam.PublicEndpointGeneratorService;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSink;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSinkFactory;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSource;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSourceFactory;
import org.eclipse.edc.connector.dataplane.spi.pipeline.PipelineService;
import org.eclipse.edc.connector.dataplane.spi.registry.TransferServiceRegistry;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.edr.spi.store.EndpointDataReferenceStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Violation;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC data plane in an EDC runtime with the embedded data plane: it starts the gRPC endpoint (TLS with a
 * certificate made at first start and kept in the vault), offers {@code GrpcStream-PULL} and
 * {@code GrpcStream-PUSH} through EDC's data-plane registries so the self-registration advertises them in the
 * catalog, serves and stops flows as the control plane signals, runs the consumer's side of its own transfer
 * processes, and enforces the agreement's quotas.
 */
@Extension(GrpcDataPlaneExtension.NAME)
public class GrpcDataPlaneExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi gRPC data plane";
    /** Covers a consumer's 4 MiB HTTP/2 window and the transports' buffers, so a broken call resumes without loss. */
    private static final long REPLAY_BYTES = 16L * 1024 * 1024;
    static final String HOST = "kakehashi.transfer.grpc.host";
    static final String PORT = "kakehashi.transfer.grpc.port";
    static final String PUBLIC_HOST = "kakehashi.transfer.grpc.public-host";
    static final String PUBLIC_PORT = "kakehashi.transfer.grpc.public-port";
    static final String TLS = "kakehashi.transfer.grpc.tls.enabled";
    static final String TLS_ALIAS = "kakehashi.transfer.grpc.tls.alias";
    static final String CHUNK_SIZE = "kakehashi.transfer.grpc.chunk-size";
    static final String TOKEN_LIFETIME = "kakehashi.transfer.grpc.token.lifetime";
    static final String TOKEN_RECHECK = "kakehashi.transfer.grpc.token.recheck";
    static final String MAX_ATTEMPTS = "kakehashi.transfer.grpc.max-attempts";
    static final String RETRY_WINDOW = "kakehashi.transfer.grpc.retry-window";
    static final String RETRY_BACKOFF = "kakehashi.transfer.grpc.retry-backoff";
    static final String RETRY_BACKOFF_MAX = "kakehashi.transfer.grpc.retry-backoff-max";
    static final String STREAM_DEADLINE = "kakehashi.transfer.grpc.stream.deadline";
    static final String STREAM_BATCH_BYTES = "kakehashi.transfer.grpc.stream.batch-bytes";
    static final String STREAM_DIRECTORY = "kakehashi.transfer.stream.directory";
    static final String STREAM_STATE_DIRECTORY = "kakehashi.transfer.stream.state-directory";
    static final String STREAM_FILE_POLL = "kakehashi.transfer.stream.file-poll";
    static final String NARROWED_DIRECTORY = "kakehashi.transfer.narrowed-directory";
    static final String STREAM_FILE_WATCH = "kakehashi.transfer.stream.file-watch";

    @Setting(key = HOST, required = false,
            description = "Address the gRPC data-plane endpoint binds to; defaults to kakehashi.web.host, which every port follows")
    private String ownHost;
    @Setting(key = GrpcBindHost.WEB_HOST, defaultValue = "127.0.0.1", description = "Address every port of the connector binds to")
    private String webHost;
    @Setting(key = PORT, defaultValue = "8185", description = "Port of the gRPC data-plane endpoint")
    private int port;
    @Setting(key = PUBLIC_HOST, required = false,
            description = "Host peers use to reach the gRPC endpoint (in EDRs and PUSH destinations); defaults to the bind host")
    private String publicHost;
    @Setting(key = PUBLIC_PORT, required = false,
            description = "Port peers use to reach the gRPC endpoint when it differs from the bound one (a port mapping); defaults to the port")
    private Integer publicPort;
    @Setting(key = TLS, defaultValue = "true",
            description = "TLS on the gRPC endpoint, with a certificate made at first start and pinned by peers through its SHA-256")
    private boolean tls;
    @Setting(key = TLS_ALIAS, defaultValue = "kakehashi-grpc-tls",
            description = "Vault alias prefix of the gRPC TLS key (<alias>-key) and certificate (<alias>-cert)")
    private String tlsAlias;
    @Setting(key = CHUNK_SIZE, defaultValue = "262144", description = "Payload bytes per bulk chunk (1 KiB to just under 4 MiB)")
    private int chunkSize;
    @Setting(key = TOKEN_LIFETIME, defaultValue = "PT1H",
            description = "Lifetime of a transfer token (ISO-8601 duration); a longer transfer continues with a refreshed token")
    private String tokenLifetime;
    @Setting(key = TOKEN_RECHECK, defaultValue = "PT5S", description = "How often a long stream re-checks its token (ISO-8601 duration)")
    private String tokenRecheck;
    @Setting(key = MAX_ATTEMPTS, defaultValue = "5",
            description = "Calls in a row without progress a transfer makes at least before it gives up (it gives up once both these and the retry window are spent)")
    private int maxAttempts;
    @Setting(key = RETRY_WINDOW, defaultValue = "PT2M",
            description = "How long a transfer keeps retrying at least without progress (ISO-8601 duration), so that it outlasts a restart of its peer")
    private String retryWindow;
    @Setting(key = RETRY_BACKOFF, defaultValue = "PT0.5S", description = "Pause before the first retry (ISO-8601 duration); it doubles with each retry without progress")
    private String retryBackoff;
    @Setting(key = RETRY_BACKOFF_MAX, defaultValue = "PT10S", description = "Longest pause between two retries (ISO-8601 duration)")
    private String retryBackoffMax;
    @Setting(key = STREAM_DEADLINE, defaultValue = "PT10M",
            description = "Deadline of one real-time call (ISO-8601 duration); the consumer re-subscribes after it with no loss")
    private String streamDeadline;
    @Setting(key = STREAM_BATCH_BYTES, defaultValue = "65536",
            description = "Payload bytes a real-time sender puts into one message at most, of the records its source already has (1 to 2 MiB; 1: one record per message); a single larger record goes alone")
    private int streamBatchBytes;
    @Setting(key = STREAM_DIRECTORY, required = false,
            description = "Directory whose JSON Lines files assets may name as real-time record files (recordFile); unset: no record files are served")
    private String streamDirectory;
    @Setting(key = STREAM_STATE_DIRECTORY, defaultValue = "kakehashi-data/record-streams",
            description = "Where each record-file transfer's positions are kept, so its numbering survives a restart")
    private String streamStateDirectory;
    @Setting(key = NARROWED_DIRECTORY, defaultValue = "kakehashi-data/narrowed-sources",
            description = "Where a bulk transfer of an asset that holds personal data keeps its source narrowed to the consented records, until it ends")
    private String narrowedDirectory;
    @Setting(key = STREAM_FILE_POLL, defaultValue = "PT0.01S",
            description = "How often a record-file stream that has read everything looks for new lines (ISO-8601 duration)")
    private String streamFilePoll;
    @Setting(key = STREAM_FILE_WATCH, defaultValue = "true",
            description = "Whether a record-file stream is woken by the file system's change notifications besides polling; false on file systems whose notifications miss writes (network file systems)")
    private boolean streamFileWatch;

    @Inject
    private Vault vault;
    @Inject
    private SingleParticipantContextSupplier participantContext;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;
    @Inject
    private DataPlaneAccessTokenService accessTokens;
    @Inject
    private DataPlaneStore dataFlows;
    @Inject
    private EndpointDataReferenceServiceRegistry edrServices;
    @Inject
    private PublicEndpointGeneratorService endpointGenerator;
    @Inject
    private TransferServiceRegistry transferServices;
    @Inject
    private PipelineService pipelineService;
    @Inject(required = false)
    private DataAddressValidatorRegistry addressValidators;
    @Inject(required = false)
    private ContractNegotiationStore agreements;
    @Inject(required = false)
    private AgreementStatus agreementStatus;
    @Inject(required = false)
    private TransferProcessObservable transferProcessObservable;
    @Inject(required = false)
    private TransferProcessService transferProcessService;
    @Inject(required = false)
    private EndpointDataReferenceStore edrStore;
    @Inject(required = false)
    private MeterRegistry meterRegistry;
    /** The consent register's filter (policy-engine/consent); without it every source is sent as it is. */
    @Inject(required = false)
    private ConsentFilter consentFilter;
    @Inject(required = false)
    private PeerTls peerTls;

    private final RecordSources recordSources = new RecordSources();
    private TransferMeters meters;
    private GrpcTransferServer server;
    /** The address the endpoint binds to, resolved at initialize. */
    private String host;
    private GrpcChannels channels;
    private ExecutorService executor;
    private GrpcPushSinks pushSinks;
    private volatile GrpcConsumerTransfers consumerTransfers;
    private List<TransferRegistry<?>> registries = List.of();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = config();
        if (port < 1 || port > 65535) {
            throw new EdcException("%s must be a port number, was %d".formatted(PORT, port));
        }
        var lifetime = duration(TOKEN_LIFETIME, tokenLifetime);
        host = GrpcBindHost.resolve(ownHost, webHost, publicHost).orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
        var advertisedHost = publicHost == null || publicHost.isBlank() ? host : publicHost;

        ServerCredentials credentials = null;
        String fingerprint = null;
        if (tls) {
            var identity = GrpcTlsIdentity.loadOrCreate(vault, tlsAlias, advertisedHost, clock)
                    .orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
            credentials = identity.serverCredentials();
            fingerprint = identity.fingerprint();
            monitor.info("gRPC data plane TLS certificate SHA-256: " + fingerprint);
        }
        var advertisedPort = publicPort == null ? port : publicPort;
        if (advertisedPort < 1 || advertisedPort > 65535) {
            throw new EdcException("%s must be a port number, was %d".formatted(PUBLIC_PORT, advertisedPort));
        }
        var endpoint = new OwnEndpoint(advertisedHost, advertisedPort, fingerprint);
        var tokens = new TransferTokens(accessTokens, OwnParticipant.id(participantContext, false), lifetime, clock);

        meters = new TransferMeters(agreements == null ? id -> TransferLimits.NONE : new AgreementQuotas(dataFlows, agreements), clock);
        if (meterRegistry != null) {
            new TransferMeterBinder(meters).bindTo(meterRegistry);
        }
        executor = Executors.newCachedThreadPool(daemonThreads());
        channels = new GrpcChannels();
        var recordFiles = recordFiles();
        // https sources are trusted like peers: the JVM's trust store plus the dataspace's CAs
        var flows = new ProviderFlows(dataFlows, recordSources, recordFiles, clock, REPLAY_BYTES,
                peerTls == null ? null : peerTls.socketFactory(),
                consentFilter == null ? null : new ConsentNarrowedSources(consentFilter, Path.of(narrowedDirectory)));
        var bulkSources = new TransferRegistry<BulkSource>(flows::pullBulkSource);
        var recordStreams = new TransferRegistry<RecordStream>(flows::pullRecordStream);
        // after a restart a PUSH transfer's sink is known only from its process: the loaders find it there
        var bulkSinks = new TransferRegistry<Path>(id -> consumerTransfers == null ? ServiceResult.notFound("unknown transfer " + id)
                : consumerTransfers.pushDestination(id));
        var recordSinks = new TransferRegistry<RecordSink>(id -> consumerTransfers == null ? ServiceResult.notFound("unknown transfer " + id)
                : consumerTransfers.pushRecordSink(id));
        pushSinks = new GrpcPushSinks(bulkSinks, tokens, endpoint);
        registries = List.of(bulkSources, recordStreams, bulkSinks, recordSinks);

        var authorization = new TransferAuthorization(new EdcTransferTokenVerifier(accessTokens, lifetime, agreementStatus()), clock);
        server = new GrpcTransferServer(host, port, credentials, authorization, List.of(
                new BulkTransferService(authorization, bulkSources, bulkSinks, meters, config, clock, monitor),
                new RecordStreamService(authorization, recordStreams, recordSinks, meters, config, executor, clock, monitor)));

        // PULL: EDC asks the endpoint generator for the EDR of a GrpcStream flow, and the EDR service of the
        // destination type to revoke it on suspend/terminate; registering the type advertises GrpcStream-PULL
        endpointGenerator.addGeneratorFunction(GrpcStreamAddresses.TYPE, source -> new Endpoint(endpoint.urlFor(source), GrpcStreamAddresses.TYPE));
        var edrService = new GrpcEndpointDataReferenceService(tokens, endpoint, bulkSources, recordStreams, flows::checkRecordSource);
        edrServices.register(GrpcStreamAddresses.TYPE, edrService);
        edrServices.register(GrpcStreamAddresses.RECORD_STREAM_TYPE, edrService);

        // PUSH: our transfer service runs the flows (priority over the pipeline); the pipeline factories only make
        // the self-registration advertise GrpcStream-PUSH and accept record-stream sources
        transferServices.registerTransferService(10, new GrpcPushTransferService(flows, channels, meters, config, executor, clock, monitor));
        pipelineService.registerFactory(new AdvertisedSinkType());
        pipelineService.registerFactory(new AdvertisedSourceType());

        if (addressValidators != null) {
            // a consumer's GrpcStream destination is filled in by the connector itself (PUSH) or unused (PULL)
            addressValidators.registerDestinationValidator(GrpcStreamAddresses.TYPE, address -> ValidationResult.success());
            addressValidators.registerSourceValidator(GrpcStreamAddresses.RECORD_STREAM_TYPE, address -> recordStreamAddress(address, recordFiles));
        }

        if (transferProcessObservable != null && transferProcessService != null) {
            consumerTransfers = new GrpcConsumerTransfers(bulkSinks, recordSinks, tokens, endpoint, channels,
                    config, executor, () -> transferProcessService, meters, monitor);
            transferProcessObservable.registerListener(consumerTransfers);
        }
    }

    @Override
    public void start() {
        try {
            server.start();
            monitor.info("gRPC data plane listening on %s:%d".formatted(host, server.port()));
            if (consumerTransfers != null) {
                // the pulls that were running when this connector stopped continue (their processes are still STARTED)
                executor.execute(() -> {
                    try {
                        var resumed = consumerTransfers.resumeStartedPulls(this::keptEdr);
                        if (resumed > 0) {
                            monitor.info("resumed %d GrpcStream-PULL transfers that were running before this start".formatted(resumed));
                        }
                    } catch (RuntimeException e) {
                        monitor.warning("cannot resume the GrpcStream-PULL transfers that were running: " + e.getMessage());
                    }
                });
            }
        } catch (IOException e) {
            throw new EdcException("cannot bind the gRPC data plane to %s:%d (%s, %s)".formatted(host, port, HOST, PORT), e);
        }
    }

    @Override
    public void shutdown() {
        if (consumerTransfers != null) {
            consumerTransfers.shutdown();
        }
        // new calls are refused, then live calls end with UNAVAILABLE, not with the transport's reset (CANCELLED, which
        // reads as terminated): peers resume them once this is back
        Runnable endLiveCalls = () -> registries.forEach(registry ->
                registry.interruptAll(Status.UNAVAILABLE.withDescription("the data plane is shutting down")));
        if (server != null) {
            server.stop(endLiveCalls);
        } else {
            endLiveCalls.run();
        }
        if (channels != null) {
            channels.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** The EDR a consumer's process started with, as EDC's EDR store keeps it (in the vault), or null. */
    private org.eclipse.edc.spi.types.domain.DataAddress keptEdr(String processId) {
        if (edrStore == null) {
            monitor.warning("No EDR store in this runtime: GrpcStream-PULL transfers cannot resume after a restart");
            return null;
        }
        var edr = edrStore.resolveByTransferProcess(processId);
        return edr.succeeded() ? edr.getContent() : null;
    }

    /** Where other extensions register real-time record sources (the sample's machine telemetry). */
    @Provider
    public RecordSources recordSources() {
        return recordSources;
    }

    /** Bulk sinks of this connector's gRPC endpoint for other extensions' transfer types (compute results). */
    @Provider
    public GrpcPushSinks pushSinks() {
        return pushSinks;
    }

    /** The progress of the transfers this data plane moves. */
    @Provider
    public TransferMeters transferMeters() {
        return meters;
    }

    /** An asset's record-stream address names one record source or one record file inside the served directory. */
    private static ValidationResult recordStreamAddress(org.eclipse.edc.spi.types.domain.DataAddress address, RecordFiles recordFiles) {
        var name = address.getStringProperty(GrpcStreamAddresses.RECORD_SOURCE);
        var file = address.getStringProperty(GrpcStreamAddresses.RECORD_FILE);
        if ((name == null) == (file == null)) {
            return ValidationResult.failure(Violation.violation("a record stream names either its record source (%s) or its record file (%s), one of them"
                    .formatted(GrpcStreamAddresses.RECORD_SOURCE, GrpcStreamAddresses.RECORD_FILE), GrpcStreamAddresses.RECORD_SOURCE));
        }
        if (file != null) {
            var resolved = recordFiles.resolve(file);
            if (resolved.failed()) {
                return ValidationResult.failure(Violation.violation(resolved.getFailureDetail(), GrpcStreamAddresses.RECORD_FILE, file));
            }
        }
        return ValidationResult.success();
    }

    // a data plane deployed apart from its control plane has no negotiation store to ask; in the connector the
    // policy engine's AgreementStatusExtension always provides it
    private AgreementStatus agreementStatus() {
        if (agreementStatus != null) {
            return agreementStatus;
        }
        monitor.warning("No AgreementStatus in this runtime: gRPC calls check their token but not whether its agreement's negotiation was terminated");
        return agreementId -> Result.success();
    }

    private RecordFiles recordFiles() {
        Path directory = null;
        if (streamDirectory != null && !streamDirectory.isBlank()) {
            directory = Path.of(streamDirectory);
            if (!Files.isDirectory(directory)) {
                throw new EdcException("%s must name an existing directory, was %s".formatted(STREAM_DIRECTORY, streamDirectory));
            }
        }
        return new RecordFiles(directory, Path.of(streamStateDirectory), duration(STREAM_FILE_POLL, streamFilePoll), streamFileWatch,
                STREAM_DIRECTORY);
    }

    private GrpcTransferConfig config() {
        var defaults = GrpcTransferConfig.defaults();
        if (streamBatchBytes < 1 || streamBatchBytes > GrpcTransferConfig.MAX_STREAM_BATCH_BYTES) {
            throw new EdcException("%s must be between 1 and %d, was %d".formatted(STREAM_BATCH_BYTES,
                    GrpcTransferConfig.MAX_STREAM_BATCH_BYTES, streamBatchBytes));
        }
        try {
            return new GrpcTransferConfig(chunkSize, defaults.bulkDeadline(), duration(STREAM_DEADLINE, streamDeadline),
                    defaults.unaryDeadline(), duration(TOKEN_RECHECK, tokenRecheck), maxAttempts, duration(RETRY_BACKOFF, retryBackoff),
                    duration(RETRY_BACKOFF_MAX, retryBackoffMax), duration(RETRY_WINDOW, retryWindow), defaults.pollInterval(), streamBatchBytes);
        } catch (IllegalArgumentException e) {
            throw new EdcException("invalid gRPC data-plane setting (%s, %s, %s, %s): %s".formatted(CHUNK_SIZE, MAX_ATTEMPTS,
                    RETRY_BACKOFF, RETRY_BACKOFF_MAX, e.getMessage()));
        }
    }

    private static Duration duration(String key, String value) {
        return SettingValues.require(SettingValues.positiveDuration(key, value));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        var counter = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, "kakehashi-grpc-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Declares GrpcStream as a sink type; {@link GrpcPushTransferService} runs these flows, never the pipeline. */
    private static final class AdvertisedSinkType implements DataSinkFactory {
        @Override
        public String supportedType() {
            return GrpcStreamAddresses.TYPE;
        }

        @Override
        public DataSink createSink(DataFlowStartMessage request) {
            throw new EdcException("GrpcStream-PUSH runs in the gRPC transfer service, not in the pipeline");
        }

        @Override
        public @NotNull Result<Void> validateRequest(DataFlowStartMessage request) {
            return Result.failure("GrpcStream-PUSH runs in the gRPC transfer service, not in the pipeline");
        }
    }

    /** Declares record streams as a source type; only the gRPC transfer types can carry them. */
    private static final class AdvertisedSourceType implements DataSourceFactory {
        @Override
        public String supportedType() {
            return GrpcStreamAddresses.RECORD_STREAM_TYPE;
        }

        @Override
        public DataSource createSource(DataFlowStartMessage request) {
            throw new EdcException("a record stream moves only over GrpcStream-PULL or GrpcStream-PUSH");
        }

        @Override
        public @NotNull Result<Void> validateRequest(DataFlowStartMessage request) {
            return Result.failure("a record stream moves only over GrpcStream-PULL or GrpcStream-PUSH");
        }
    }
}
