package io.kakehashi.catalog.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How the crawler paces itself. Immutable.
 *
 * @param interval    how long after a good answer a peer is asked again
 * @param timeout     the longest a whole crawl of one peer (all pages) may take before it counts as failed
 * @param maxBackoff  the longest wait after repeated failures (the wait doubles from {@code 2 × interval} per failure)
 * @param pageSize    datasets asked for per catalog request
 * @param maxDatasets the most datasets kept per peer; pages beyond are not requested
 */
public record CrawlerSettings(Duration interval, Duration timeout, Duration maxBackoff, int pageSize, int maxDatasets) {
    public CrawlerSettings {
        positive(interval, "interval");
        positive(timeout, "timeout");
        positive(maxBackoff, "maxBackoff");
        if (pageSize < 1) {
            throw new IllegalArgumentException("the crawler page size must be at least 1, was " + pageSize);
        }
        if (maxDatasets < pageSize) {
            throw new IllegalArgumentException("the crawler's maximum datasets per peer (%d) must be at least the page size (%d)"
                    .formatted(maxDatasets, pageSize));
        }
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the crawler %s must be positive, was %s".formatted(name, duration));
        }
    }

    /** The wait before the next attempt after {@code failures} consecutive failures (0: the normal interval). */
    public Duration delayAfter(int failures) {
        if (failures <= 0) {
            return interval;
        }
        var delay = interval;
        for (int i = 0; i < failures && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
