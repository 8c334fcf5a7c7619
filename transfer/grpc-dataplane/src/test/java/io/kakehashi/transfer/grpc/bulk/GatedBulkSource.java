package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A file source whose reads stop at a gate offset until the test opens the gate (for mid-stream events). */
public final class GatedBulkSource implements BulkSource {

    private final BulkSource delegate;
    private final long gate;
    private final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch reached = new CountDownLatch(1);

    public GatedBulkSource(BulkSource delegate, long gate) {
        this.delegate = delegate;
        this.gate = gate;
    }

    public void open() {
        open.countDown();
    }

    public boolean awaitReached() throws InterruptedException {
        return reached.await(10, TimeUnit.SECONDS);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public String contentType() {
        return delegate.contentType();
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        return new FilterInputStream(delegate.openAt(offset)) {
            private long position = offset;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= gate && open.getCount() > 0) {
                    reached.countDown();
                    try {
                        open.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
                var limit = position < gate ? (int) Math.min(len, gate - position) : len;
                var read = super.read(b, off, limit);
                if (read > 0) {
                    position += read;
                }
                return read;
            }
        };
    }
}
