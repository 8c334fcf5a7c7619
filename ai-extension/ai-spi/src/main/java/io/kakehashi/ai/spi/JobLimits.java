package io.kakehashi.ai.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What one job may use: wall-clock time and memory (the SQL engine's memory limit; the JVM's heap is shared).
 * Immutable and thread-safe.
 */
public record JobLimits(Duration timeLimit, long memoryLimitBytes) {

    public JobLimits {
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive");
        }
        if (memoryLimitBytes < 1024 * 1024) {
            throw new IllegalArgumentException("memoryLimitBytes must be at least 1 MiB");
        }
    }
}
