package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file as bulk content. Thread-safe (each open gets its own channel). */
public final class FileBulkSource implements BulkSource {

    private final Path file;
    private final String contentType;

    public FileBulkSource(Path file, String contentType) {
        this.file = file;
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
    }

    @Override
    public long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        var channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }
}
