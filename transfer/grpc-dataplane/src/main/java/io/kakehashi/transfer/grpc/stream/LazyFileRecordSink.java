package io.kakehashi.transfer.grpc.stream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link FileRecordSink} that creates its file with the first record, so that a destination registered for
 * either kind of transfer is not touched by the other kind. Not thread-safe: one stream feeds it.
 */
public final class LazyFileRecordSink implements RecordSink {

    private final Path file;
    private FileRecordSink delegate;

    public LazyFileRecordSink(Path file) {
        this.file = file;
    }

    @Override
    public synchronized long nextSequence() {
        return delegate == null ? 0 : delegate.nextSequence();
    }

    @Override
    public synchronized void accept(long sequence, byte[] payload) throws IOException {
        if (delegate == null) {
            delegate = new FileRecordSink(file);
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
