package io.kakehashi.transfer.grpc.edc;

import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.kakehashi.core.spi.participant.OwnParticipant;
import io.kakehashi.core.spi.tls.PeerTls;
import io.kakehashi.policy.spi.AgreementStatus;
import io.kakehashi.policy.spi.ConsentFilter;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.GrpcTransferServer;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.bulk.BulkTransferService;
import io.kakehashi.transfer.grpc.bulk.ConsentNarrowedSources;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeterBinder;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.stream.RecordFiles;
import io.kakehashi.transfer.grpc.stream.RecordSources;
import io.kakehashi.transfer.grpc.stream.RecordStreamService;
import io.kakehashi.transfer.grpc.tls.GrpcTlsIdentity;
import io.kakehashi.transfer.spi.RecordSourceRegistry;
import io.kakehashi.transfer.spi.TransferProgressService;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.runtime.metamodel.annotation.Configuration;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.io.IOException;
import java.util.List;

/**
 * The gRPC data plane's endpoint: reads its settings ({@link GrpcEndpointSettings}, {@link GrpcTransferSettings},
 * {@link RecordFileSettings}), makes or loads its TLS identity (kept in the vault, pinned by peers through its
 * SHA-256), and runs the gRPC server that serves bulk and real-time calls, each authorised by its transfer token and
 * metered against its agreement's quotas. It provides what the PULL, PUSH, consumer and validator extensions build on
 * (the endpoint, tokens, meters, channels, flows, registries, threads) and, to other modules, the transfer SPI's
 * {@link TransferProgressService} and {@link RecordSourceRegistry}. Shut down last, it ends live calls with
 * UNAVAILABLE so that peers resume them.
 */
@Extension(GrpcTransferServerExtension.NAME)
@Provides({GrpcTransferConfig.class, OwnEndpoint.class, TransferTokens.class, TransferMeters.class, TransferProgressService.class,
        GrpcChannels.class, GrpcTransferThreads.class, RecordSources.class, RecordSourceRegistry.class, RecordFiles.class,
        ProviderFlows.class, GrpcTransferRegistries.class})
public class GrpcTransferServerExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi gRPC transfer server";
    /** Covers a consumer's 4 MiB HTTP/2 window and the transports' buffers, so a broken call resumes without loss. */
    private static final long REPLAY_BYTES = 16L * 1024 * 1024;

    @Configuration
    private GrpcEndpointSettings endpointSettings;
    @Configuration
    private GrpcTransferSettings transferSettings;
    @Configuration
    private RecordFileSettings recordFileSettings;

    @Inject
    private Vault vault;
    @Inject
    private SingleParticipantContextSupplier participantContext;
    @Inject
    private java.time.Clock clock;
    @Inject
    private Monitor monitor;
    @Inject
    private DataPlaneAccessTokenService accessTokens;
    @Inject
    private DataPlaneStore dataFlows;
    @Inject(required = false)
    private ContractNegotiationStore agreements;
    @Inject(required = false)
    private AgreementStatus agreementStatus;
    @Inject(required = false)
    private MeterRegistry meterRegistry;
    /** The consent register's filter (policy-engine/consent); without it every source is sent as it is. */
    @Inject(required = false)
    private ConsentFilter consentFilter;
    @Inject(required = false)
    private PeerTls peerTls;

    private GrpcTransferServer server;
    /** The address the endpoint binds to, resolved at initialize. */
    private String host;
    private GrpcChannels channels;
    private GrpcTransferThreads threads;
    private GrpcTransferRegistries registries;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = transferSettings.config();
        var endpointSettings = this.endpointSettings.validated();
        var lifetime = transferSettings.tokenLifetimeDuration();
        host = endpointSettings.bindHost();
        var advertisedHost = endpointSettings.advertisedHost(host);

        ServerCredentials credentials = null;
        String fingerprint = null;
        if (endpointSettings.tls()) {
            var identity = GrpcTlsIdentity.loadOrCreate(vault, endpointSettings.tlsAlias(), advertisedHost, clock)
                    .orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
            credentials = identity.serverCredentials();
            fingerprint = identity.fingerprint();
            monitor.info("gRPC data plane TLS certificate SHA-256: " + fingerprint);
        }
        var endpoint = new OwnEndpoint(advertisedHost, endpointSettings.advertisedPort(), fingerprint);
        var tokens = new TransferTokens(accessTokens, OwnParticipant.id(participantContext, false), lifetime, clock);

        var meters = new TransferMeters(agreements == null ? id -> TransferLimits.NONE : new AgreementQuotas(dataFlows, agreements), clock);
        if (meterRegistry != null) {
            new TransferMeterBinder(meters).bindTo(meterRegistry);
        }
        threads = new GrpcTransferThreads();
        channels = new GrpcChannels();
        var recordSources = new RecordSources();
        var recordFiles = recordFileSettings.recordFiles();
        // https sources are trusted like peers: the JVM's trust store plus the dataspace's CAs
        var flows = new ProviderFlows(dataFlows, recordSources, recordFiles, clock, REPLAY_BYTES,
                peerTls == null ? null : peerTls.socketFactory(),
                consentFilter == null ? null : new ConsentNarrowedSources(consentFilter, recordFileSettings.narrowedSources()));
        registries = new GrpcTransferRegistries(flows);

        var authorization = new TransferAuthorization(new EdcTransferTokenVerifier(accessTokens, lifetime, agreementStatus()), clock);
        server = new GrpcTransferServer(host, endpointSettings.port(), credentials, authorization, List.of(
                new BulkTransferService(authorization, registries.bulkSources(), registries.bulkSinks(), meters, config, clock, monitor),
                new RecordStreamService(authorization, registries.recordStreams(), registries.recordSinks(), meters, config,
                        threads.executor(), clock, monitor)));

        context.registerService(GrpcTransferConfig.class, config);
        context.registerService(OwnEndpoint.class, endpoint);
        context.registerService(TransferTokens.class, tokens);
        context.registerService(TransferMeters.class, meters);
        context.registerService(TransferProgressService.class, meters);
        context.registerService(GrpcChannels.class, channels);
        context.registerService(GrpcTransferThreads.class, threads);
        context.registerService(RecordSources.class, recordSources);
        context.registerService(RecordSourceRegistry.class, recordSources);
        context.registerService(RecordFiles.class, recordFiles);
        context.registerService(ProviderFlows.class, flows);
        context.registerService(GrpcTransferRegistries.class, registries);
    }

    @Override
    public void start() {
        try {
            server.start();
            monitor.info("gRPC data plane listening on %s:%d".formatted(host, server.port()));
        } catch (IOException e) {
            throw new EdcException("cannot bind the gRPC data plane to %s:%d (%s, %s)".formatted(host, endpointSettings.port(),
                    GrpcEndpointSettings.HOST, GrpcEndpointSettings.PORT), e);
        }
    }

    @Override
    public void shutdown() {
        // new calls are refused, then live calls end with UNAVAILABLE, not with the transport's reset (CANCELLED, which
        // reads as terminated): peers resume them once this is back
        Runnable endLiveCalls = () -> {
            if (registries != null) {
                registries.interruptAll(Status.UNAVAILABLE.withDescription("the data plane is shutting down"));
            }
        };
        if (server != null) {
            server.stop(endLiveCalls);
        } else {
            endLiveCalls.run();
        }
        if (channels != null) {
            channels.close();
        }
        if (threads != null) {
            threads.shutdownNow();
        }
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
}
