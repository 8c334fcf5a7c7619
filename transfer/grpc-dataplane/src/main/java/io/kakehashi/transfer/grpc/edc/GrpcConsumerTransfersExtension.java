package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.spi.PushSinks;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessObservable;
import org.eclipse.edc.edr.spi.store.EndpointDataReferenceStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.domain.DataAddress;

/**
 * The consumer's side of this connector's {@code GrpcStream} transfer processes: a listener on the control plane's
 * transfer processes pulls from the provider's EDR, or opens a sink on this connector's endpoint for a provider's push,
 * and completes or terminates the process as the transfer ends; pulls that ran when the connector stopped resume at
 * start. It provides the transfer SPI's {@link PushSinks}, so other extensions' transfer types (compute results) get
 * sinks the same way. Without a control plane (a data plane deployed alone) only the sinks are offered.
 */
@Extension(GrpcConsumerTransfersExtension.NAME)
public class GrpcConsumerTransfersExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi gRPC consumer transfers";

    @Inject
    private GrpcTransferRegistries registries;
    @Inject
    private TransferTokens tokens;
    @Inject
    private OwnEndpoint endpoint;
    @Inject
    private GrpcChannels channels;
    @Inject
    private GrpcTransferConfig config;
    @Inject
    private GrpcTransferThreads threads;
    @Inject
    private TransferMeters meters;
    @Inject
    private Monitor monitor;
    @Inject(required = false)
    private TransferProcessObservable transferProcessObservable;
    @Inject(required = false)
    private TransferProcessService transferProcessService;
    @Inject(required = false)
    private EndpointDataReferenceStore edrStore;

    private GrpcConsumerTransfers consumerTransfers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (transferProcessObservable != null && transferProcessService != null) {
            consumerTransfers = new GrpcConsumerTransfers(registries.bulkSinks(), registries.recordSinks(), tokens, endpoint, channels,
                    config, threads.executor(), () -> transferProcessService, meters, monitor);
            registries.attach(consumerTransfers);
            transferProcessObservable.registerListener(consumerTransfers);
        }
    }

    @Override
    public void start() {
        if (consumerTransfers == null) {
            return;
        }
        // the pulls that were running when this connector stopped continue (their processes are still STARTED)
        threads.executor().execute(() -> {
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

    @Override
    public void shutdown() {
        if (consumerTransfers != null) {
            consumerTransfers.shutdown();
        }
    }

    /** Bulk sinks of this connector's gRPC endpoint for other extensions' transfer types (compute results). */
    @Provider
    public PushSinks pushSinks() {
        return new GrpcPushSinks(registries.bulkSinks(), tokens, endpoint);
    }

    /** The EDR a consumer's process started with, as EDC's EDR store keeps it (in the vault), or null. */
    private DataAddress keptEdr(String processId) {
        if (edrStore == null) {
            monitor.warning("No EDR store in this runtime: GrpcStream-PULL transfers cannot resume after a restart");
            return null;
        }
        var edr = edrStore.resolveByTransferProcess(processId);
        return edr.succeeded() ? edr.getContent() : null;
    }
}
