package io.kakehashi.policy.decisionlog;

import java.time.Duration;
import java.util.Objects;

/**
 * When to sign a checkpoint: once {@code everyEntries} entries have been appended since the last one, once
 * {@code every} has passed since it and the chain has grown, and at the latest {@code within} after the first entry
 * that no checkpoint covers yet (so the log never keeps an unsigned tail for longer than that; a quiet log signs
 * nothing). Immutable and thread-safe.
 */
public record CheckpointSchedule(int everyEntries, Duration every, Duration within) {

    /** How long a new entry may stay uncovered by a signed checkpoint, by default. */
    public static final Duration DEFAULT_WITHIN = Duration.ofSeconds(2);

    public static final CheckpointSchedule DEFAULT = new CheckpointSchedule(1000, Duration.ofMinutes(5), DEFAULT_WITHIN);

    public CheckpointSchedule {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(within, "within");
        if (everyEntries < 1) {
            throw new IllegalArgumentException("everyEntries must be at least 1: " + everyEntries);
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive: " + every);
        }
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("within must be positive: " + within);
        }
    }

    /**
     * A schedule whose unsigned tail is bounded by {@link #DEFAULT_WITHIN}.
     */
    public CheckpointSchedule(int everyEntries, Duration every) {
        this(everyEntries, every, DEFAULT_WITHIN);
    }
}
