package io.kakehashi.samples.interop.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What one benchmark run does, read from system properties (the Maven profile passes them on):
 * <ul>
 *     <li>{@code benchmark.iteration-waits}: comma-separated state-machine idle waits in ms, one round each
 *     (default {@code 10,1000}; 1000 is EDC's default)</li>
 *     <li>{@code benchmark.catalog-requests}: measured catalog requests per pair and round (default 50)</li>
 *     <li>{@code benchmark.negotiations}: measured negotiations per pair and round (default 50)</li>
 *     <li>{@code benchmark.warmup}: unmeasured catalog requests and negotiations per pair before measuring (default 10)</li>
 *     <li>{@code benchmark.poll-millis}: pause between two reads of a negotiation's state (default 2)</li>
 *     <li>{@code kakehashi.interop.work-dir}: where connectors keep their files and the run its results</li>
 * </ul>
 * Immutable and thread-safe.
 */
record BenchmarkOptions(List<Long> iterationWaits, int catalogRequests, int negotiations, int warmup,
                        long pollMillis, Path workDirectory) {

    static BenchmarkOptions fromSystemProperties() {
        var iterationWaits = Arrays.stream(System.getProperty("benchmark.iteration-waits", "10,1000").split(","))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .map(Long::parseLong)
                .toList();
        if (iterationWaits.isEmpty() || iterationWaits.stream().anyMatch(wait -> wait <= 0)) {
            throw new IllegalArgumentException("benchmark.iteration-waits must name one or more positive waits: " + iterationWaits);
        }
        return new BenchmarkOptions(iterationWaits,
                positive("benchmark.catalog-requests", 50),
                positive("benchmark.negotiations", 50),
                positive("benchmark.warmup", 10),
                positive("benchmark.poll-millis", 2),
                Path.of(System.getProperty("kakehashi.interop.work-dir", "target/benchmark")).toAbsolutePath());
    }

    private static int positive(String key, int defaultValue) {
        var value = Integer.parseInt(System.getProperty(key, String.valueOf(defaultValue)).trim());
        if (value <= 0) {
            throw new IllegalArgumentException("%s must be positive: %d".formatted(key, value));
        }
        return value;
    }
}
