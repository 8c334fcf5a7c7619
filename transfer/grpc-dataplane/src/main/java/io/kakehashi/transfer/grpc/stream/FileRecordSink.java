package io.kakehashi.transfer.grpc.stream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each record's payload and a line feed to a file (JSON Lines for JSON telemetry). It counts the
 * records it holds in memory, which is what a resume within one runtime needs. Not thread-safe: one stream
 * feeds it.
 */
public final class FileRecordSink implements RecordSink {

    private final OutputStream out;
    private long nextSequence;

    public FileRecordSink(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // buffered within a batch, written out after it (flush): one write per batch instead of two per record
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), 64 * 1024);
    }

    @Override
    public synchronized long nextSequence() {
        return nextSequence;
    }

    @Override
    public synchronized void accept(long sequence, byte[] payload) throws IOException {
        out.write(payload);
        out.write('\n');
        nextSequence = sequence + 1;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
