package io.kakehashi.ai.transfer;

import io.kakehashi.transfer.spi.BulkSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A result document in memory as bulk content. Immutable and thread-safe. */
final class BytesBulkSource implements BulkSource {

    private final byte[] bytes;

    BytesBulkSource(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public InputStream openAt(long offset) {
        var start = (int) Math.min(Math.max(offset, 0), bytes.length);
        return new ByteArrayInputStream(bytes, start, bytes.length - start);
    }
}
