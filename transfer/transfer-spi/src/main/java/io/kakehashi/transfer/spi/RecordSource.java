package io.kakehashi.transfer.spi;

import java.time.Duration;

/**
 * An unbounded source of records (machine telemetry, a generator in tests). The stream that reads it gives
 * each record its sequence number; a source only yields payloads in order. The stream calls it from one
 * thread at a time; implementations need not be thread-safe beyond that.
 */
public interface RecordSource extends AutoCloseable {

    /**
     * The next payload, waiting at most {@code maxWait}.
     *
     * @return the payload, or null when none came in time
     */
    byte[] next(Duration maxWait) throws InterruptedException;

    /** The media type of the payloads. */
    String contentType();

    @Override
    default void close() {
    }
}
