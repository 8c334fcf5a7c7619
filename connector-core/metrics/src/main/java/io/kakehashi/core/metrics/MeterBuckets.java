package io.kakehashi.core.metrics;

import java.time.Duration;

/**
 * The histogram buckets of the lifecycle timers: a few fixed bounds from 100 ms to an hour, so that each timer is a
 * dozen series rather than Micrometer's seventy-odd percentile buckets.
 */
public final class MeterBuckets {

    public static final Duration[] DURATIONS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)
    };

    private MeterBuckets() {
    }
}
