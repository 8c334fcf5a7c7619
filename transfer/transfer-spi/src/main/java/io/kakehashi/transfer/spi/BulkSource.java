package io.kakehashi.transfer.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Finite content a provider sends in chunks, readable from any offset so that a transfer can resume.
 * Implementations must allow several {@link #openAt(long)} calls, each on its own stream.
 */
public interface BulkSource {

    /** The size of the content, or -1 when unknown in advance. */
    long size();

    /** The media type of the content. */
    String contentType();

    /** A fresh stream positioned at {@code offset}; the caller closes it. */
    InputStream openAt(long offset) throws IOException;
}
