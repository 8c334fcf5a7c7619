package io.kakehashi.transfer.spi;

import java.time.Duration;

/**
 * How long an outbound push keeps retrying without progress; a push gives up once both its calls and its window are
 * spent. A null part takes the data plane's setting ({@code kakehashi.transfer.grpc.max-attempts},
 * {@code kakehashi.transfer.grpc.retry-window}). Immutable and thread-safe.
 *
 * @param maxAttempts calls in a row without progress at least, or null
 * @param window how long it retries at least, or null
 */
public record PushRetry(Integer maxAttempts, Duration window) {

    public PushRetry {
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("a push makes at least one attempt");
        }
        if (window != null && window.isNegative()) {
            throw new IllegalArgumentException("a retry window must not be negative");
        }
    }

    /** The data plane's settings. */
    public static PushRetry dataPlaneSettings() {
        return new PushRetry(null, null);
    }

    public PushRetry withWindow(Duration value) {
        return new PushRetry(maxAttempts, value);
    }

    public PushRetry withMaxAttempts(int value) {
        return new PushRetry(value, window);
    }
}
