package io.kakehashi.transfer.grpc.stream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link FileRecordSink} that creates its file with the first record, so that a destination registered for
 * either kind of transfer is not touched by the other kind; a sink whose transfer already wrote records (before a
 * restart of the consumer) is reopened where its position file says it stands. Thread-safe (synchronized).
 */
public final class LazyFileRecordSink implements RecordSink {

    private final Path file;
    private final String transferId;
    private FileRecordSink delegate;

    /** A lazy sink for an unnamed transfer. */
    public LazyFileRecordSink(Path file) {
        this(file, "");
    }

    public LazyFileRecordSink(Path file, String transferId) {
        this.file = file;
        this.transferId = transferId;
    }

    @Override
    public synchronized long nextSequence() {
        if (delegate == null && FileRecordSink.hasPosition(file, transferId)) {
            try {
                delegate = new FileRecordSink(file, transferId);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return delegate == null ? 0 : delegate.nextSequence();
    }

    @Override
    public synchronized void accept(long sequence, byte[] payload) throws IOException {
        if (delegate == null) {
            delegate = new FileRecordSink(file, transferId);
        }
        delegate.accept(sequence, payload);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (delegate != null) {
            delegate.flush();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (delegate != null) {
            delegate.close();
        }
    }
}
