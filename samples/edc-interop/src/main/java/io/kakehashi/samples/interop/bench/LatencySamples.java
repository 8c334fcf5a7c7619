package io.kakehashi.samples.interop.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies of one operation against one connector pair, in milliseconds, their nearest-rank percentiles, and the
 * attempts that failed (which are not latencies), counted by reason.
 * <p>
 * Not thread-safe.
 */
final class LatencySamples {

    private final List<Double> millis = new ArrayList<>();
    private final Map<String, Integer> failures = new TreeMap<>();

    void add(long nanos) {
        millis.add(nanos / 1_000_000.0);
    }

    void fail(String reason) {
        failures.merge(reason, 1, Integer::sum);
    }

    /** Adds {@code other}'s latencies and failures to these (to merge what several threads measured apart). */
    void addAll(LatencySamples other) {
        millis.addAll(other.millis);
        other.failures.forEach((reason, count) -> failures.merge(reason, count, Integer::sum));
    }

    int count() {
        return millis.size();
    }

    int failureCount() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    Map<String, Integer> failures() {
        return Collections.unmodifiableMap(failures);
    }

    List<Double> values() {
        return Collections.unmodifiableList(millis);
    }

    /**
     * The nearest-rank percentile: the smallest sample that at least {@code percent} % of the samples do not exceed.
     */
    double percentile(double percent) {
        if (millis.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        var sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        var rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    double median() {
        return percentile(50);
    }

    /** The percentile in milliseconds with one decimal, or {@code n/a} without samples. */
    String formatted(double percent) {
        return millis.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.1f", percentile(percent));
    }

    /** The ratio of this median to {@code other}'s with two decimals, or {@code n/a} if either has no samples. */
    String medianRatio(LatencySamples other) {
        return millis.isEmpty() || other.millis.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.2f", median() / other.median());
    }
}
