package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.grpc.v1.RecordBatch;
import org.eclipse.edc.spi.result.Result;

/**
 * The order both receivers of a real-time stream require of a batch before they keep any of it: at least one record,
 * the first with the sequence the receiver expects next and each following one a sequence higher, so a gap or a
 * duplicate inside a batch or across batches is refused as a whole. Stateless and thread-safe.
 */
final class RecordBatchOrder {

    private RecordBatchOrder() {
    }

    /** Whether {@code batch} continues a stream whose next record is {@code expected}; on failure, why not. */
    static Result<Void> check(RecordBatch batch, long expected) {
        if (batch.getRecordsCount() == 0) {
            return Result.failure("an empty batch arrived, record %d expected (a batch carries at least one record)".formatted(expected));
        }
        for (var i = 0; i < batch.getRecordsCount(); i++) {
            var sequence = batch.getRecords(i).getSequence();
            if (sequence != expected + i) {
                return Result.failure("record %d arrived (%d of a batch of %d), %d expected (no gaps, no duplicates)"
                        .formatted(sequence, i + 1, batch.getRecordsCount(), expected + i));
            }
        }
        return Result.success();
    }
}
