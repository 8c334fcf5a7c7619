package io.kakehashi.transfer.grpc.stream;

import com.google.protobuf.ByteString;
import io.kakehashi.transfer.grpc.v1.Record;
import io.kakehashi.transfer.grpc.v1.RecordBatch;

/** Records and batches as a sender would make them, with the payloads "record-n" the test sinks expect. */
final class RecordTestFixtures {

    private RecordTestFixtures() {
    }

    static Record record(long sequence) {
        return Record.newBuilder().setSequence(sequence).setContentType("text/plain")
                .setPayload(ByteString.copyFromUtf8("record-" + sequence)).build();
    }

    /** A batch of the records with these sequences, in this order; the first names {@code transferId} when not null. */
    static RecordBatch batch(String transferId, long... sequences) {
        var batch = RecordBatch.newBuilder();
        for (var sequence : sequences) {
            var record = record(sequence);
            batch.addRecords(transferId != null && batch.getRecordsCount() == 0 ? record.toBuilder().setTransferId(transferId).build() : record);
        }
        return batch.build();
    }
}
