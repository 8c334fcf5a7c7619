package io.kakehashi.transfer.grpc.edc;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.stream.RecordSink;
import io.kakehashi.transfer.grpc.stream.RecordStream;
import io.kakehashi.transfer.spi.BulkSource;
import org.eclipse.edc.spi.result.ServiceResult;

import java.nio.file.Path;
import java.util.List;

/**
 * The transfers the gRPC endpoint serves, by transfer id: the provider's bulk sources and record streams (loaded from
 * the data plane's flows on first call) and the consumer's bulk and record sinks (loaded, after a restart, from the
 * consumer's transfer processes once {@link #attach} gave their owner). Shared by the server, the PULL, PUSH and
 * consumer extensions. Thread-safe.
 */
public final class GrpcTransferRegistries {

    private final TransferRegistry<BulkSource> bulkSources;
    private final TransferRegistry<RecordStream> recordStreams;
    private final TransferRegistry<Path> bulkSinks;
    private final TransferRegistry<RecordSink> recordSinks;
    private volatile GrpcConsumerTransfers consumerTransfers;

    GrpcTransferRegistries(ProviderFlows flows) {
        bulkSources = new TransferRegistry<>(flows::pullBulkSource);
        recordStreams = new TransferRegistry<>(flows::pullRecordStream);
        // after a restart a PUSH transfer's sink is known only from its process: the loaders find it there
        bulkSinks = new TransferRegistry<>(id -> consumerTransfers == null ? ServiceResult.notFound("unknown transfer " + id)
                : consumerTransfers.pushDestination(id));
        recordSinks = new TransferRegistry<>(id -> consumerTransfers == null ? ServiceResult.notFound("unknown transfer " + id)
                : consumerTransfers.pushRecordSink(id));
    }

    /** The consumer's side of this connector's transfer processes, which the sinks load from. */
    void attach(GrpcConsumerTransfers consumerTransfers) {
        this.consumerTransfers = consumerTransfers;
    }

    TransferRegistry<BulkSource> bulkSources() {
        return bulkSources;
    }

    TransferRegistry<RecordStream> recordStreams() {
        return recordStreams;
    }

    TransferRegistry<Path> bulkSinks() {
        return bulkSinks;
    }

    TransferRegistry<RecordSink> recordSinks() {
        return recordSinks;
    }

    /** Ends every live call with {@code status}. */
    void interruptAll(Status status) {
        List.of(bulkSources, recordStreams, bulkSinks, recordSinks).forEach(registry -> registry.interruptAll(status));
    }
}
