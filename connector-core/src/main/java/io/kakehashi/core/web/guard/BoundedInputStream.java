package io.kakehashi.core.web.guard;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that ends the request with 413 once more than a limit has been read, for bodies sent without a
 * length (chunked) or with a false one. Not thread-safe, like the stream it wraps.
 */
final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long read;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        var b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        var n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        var skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) {
        read += n;
        if (read > limit) {
            throw RequestProblem.tooLarge("the body is larger than %d bytes".formatted(limit)).exception();
        }
    }
}
