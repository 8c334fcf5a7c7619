package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.bulk.GrpcBulkPushes;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.spi.BulkPushes;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSink;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSinkFactory;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSource;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSourceFactory;
import org.eclipse.edc.connector.dataplane.spi.pipeline.PipelineService;
import org.eclipse.edc.connector.dataplane.spi.registry.TransferServiceRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.jetbrains.annotations.NotNull;

import java.time.Clock;

/**
 * The provider's side of {@code GrpcStream-PUSH}: its transfer service runs the flows the control plane starts (ahead
 * of EDC's pipeline), pushing bulk sources and record streams to the consumer's sink; the pipeline factories only make
 * the self-registration advertise {@code GrpcStream-PUSH} and accept record-stream sources. It provides the transfer
 * SPI's {@link BulkPushes}, so other extensions push to a peer's sink the same way.
 */
@Extension(GrpcPushExtension.NAME)
public class GrpcPushExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi GrpcStream-PUSH";
    /** Above EDC's pipeline, below the compute transfer service (20): the destination type tells them apart anyway. */
    static final int PRIORITY = 10;

    @Inject
    private TransferServiceRegistry transferServices;
    @Inject
    private PipelineService pipelineService;
    @Inject
    private ProviderFlows flows;
    @Inject
    private GrpcChannels channels;
    @Inject
    private TransferMeters meters;
    @Inject
    private GrpcTransferConfig config;
    @Inject
    private GrpcTransferThreads threads;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        transferServices.registerTransferService(PRIORITY, new GrpcPushTransferService(flows, channels, meters, config, threads.executor(),
                clock, monitor));
        pipelineService.registerFactory(new AdvertisedSinkType());
        pipelineService.registerFactory(new AdvertisedSourceType());
    }

    /** Bulk pushes to peers' sinks on the data plane's channels, settings and meters (a compute job's result). */
    @Provider
    public BulkPushes bulkPushes() {
        return new GrpcBulkPushes(channels, meters, config, clock, monitor);
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
