package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.spi.RecordSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A test generator: the n-th payload it produces is "record-n", so a lost or repeated record shows in the sink. */
final class CountingRecordSource implements RecordSource {

    private final AtomicLong produced = new AtomicLong();

    @Override
    public byte[] next(Duration maxWait) {
        return ("record-" + produced.getAndIncrement()).getBytes(StandardCharsets.UTF_8);
    }

    long produced() {
        return produced.get();
    }

    @Override
    public String contentType() {
        return "text/plain";
    }
}
