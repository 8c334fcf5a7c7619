package io.kakehashi.policy.decisionlog;

import java.time.Duration;
import java.util.Objects;

/**
 * When to sign a checkpoint: once {@code everyEntries} entries have been appended since the last one, or once
 * {@code every} has passed since it and the chain has grown. Immutable and thread-safe.
 */
public record CheckpointSchedule(int everyEntries, Duration every) {

    public static final CheckpointSchedule DEFAULT = new CheckpointSchedule(1000, Duration.ofMinutes(5));

    public CheckpointSchedule {
        Objects.requireNonNull(every, "every");
        if (everyEntries < 1) {
            throw new IllegalArgumentException("everyEntries must be at least 1: " + everyEntries);
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive: " + every);
        }
    }
}
