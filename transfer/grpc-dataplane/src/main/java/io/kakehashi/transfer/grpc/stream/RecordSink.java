package io.kakehashi.transfer.grpc.stream;

import java.io.IOException;

/**
 * Where a consumer keeps the records of a real-time transfer. It knows the next sequence it expects, so a
 * resumed stream continues with no loss and no duplicate. The stream feeds it from one thread at a time.
 */
public interface RecordSink extends AutoCloseable {

    /** The sequence number of the next record this sink expects (0 before the first). */
    long nextSequence();

    /** Keeps one record; its sequence is {@link #nextSequence()}. */
    void accept(long sequence, byte[] payload) throws IOException;

    /**
     * Hands on what {@link #accept} kept so far (to the file, to readers of the file); called after each batch of
     * records that arrived together, so a sink may buffer within one batch.
     */
    default void flush() throws IOException {
    }

    @Override
    default void close() throws IOException {
    }
}
