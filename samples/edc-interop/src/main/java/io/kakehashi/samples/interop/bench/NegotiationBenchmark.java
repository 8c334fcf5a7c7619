package io.kakehashi.samples.interop.bench;

import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.FileServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Measures, on one machine and in one run, how long a consumer waits for a provider's catalog and for a contract
 * agreement, for two Kakehashi connectors (self-issued ES256 identity) and for two stock EDC 0.15.1 connectors (EDC's
 * mock identity). Both pairs run with the same state-machine settings, one round per setting, and are measured in
 * turns so that the machine's noise falls on both. It prints the median and 95th percentile of each and the
 * Kakehashi/EDC ratio of the medians, and keeps every sample in a CSV file.
 * <p>
 * A benchmark, not a test: it asserts nothing about speed. Run it through Maven (see docs/benchmarks.md), which
 * computes the connectors' class paths; options are listed in {@link BenchmarkOptions}.
 */
public final class NegotiationBenchmark {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final String JVM_OPTIONS = "-Xmx512m -XX:+UseSerialGC";

    private final BenchmarkOptions options;

    private NegotiationBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws IOException {
        var benchmark = new NegotiationBenchmark(BenchmarkOptions.fromSystemProperties());
        RoundsRun.run("run", "Kakehashi vs stock EDC 0.15.1: catalog request and contract negotiation latency", benchmark.options,
                benchmark::describe, benchmark::round);
    }

    private void describe(PrintStream out) {
        out.printf("every connector: its own JVM (%s), in-memory stores, DSP 2025-1 over 127.0.0.1%n", JVM_OPTIONS);
        out.printf("per pair and round: %d warm-up catalog requests and negotiations, then %d catalog requests and %d negotiations,%n",
                options.warmup(), options.catalogRequests(), options.negotiations());
        out.printf("one at a time, the two pairs taking turns; a negotiation's state is read every %d ms until FINALIZED%n", options.pollMillis());
        out.printf("pairs:%n  Kakehashi: %s; keys in a PKCS12 vault, peers in a trust-list file%n  EDC:       %s; in-memory vault%n",
                ConnectorKind.KAKEHASHI.description(), ConnectorKind.STOCK_EDC.description());
    }

    private void round(long iterationWait, Path directory, PrintStream out, List<String> csv) throws IOException {
        out.printf("%nround: state machines idle %d ms between iterations, on every connector of both pairs:%n", iterationWait);
        ConnectorSettings.STATE_MACHINES.forEach(machine -> out.printf("  %s.state-machine.iteration-wait-millis=%d%n", machine, iterationWait));

        var sourceDirectory = Files.createDirectories(directory.resolve("source"));
        Files.writeString(sourceDirectory.resolve("benchmark-asset.csv"), "machine,temperature\nlathe-1,41.5\n");
        try (var source = FileServer.serve(sourceDirectory);
             var kakehashi = ConnectorPair.start(ConnectorKind.KAKEHASHI, "kakehashi", directory, iterationWait,
                     source.urlOf("benchmark-asset.csv"), START_TIMEOUT);
             var edc = ConnectorPair.start(ConnectorKind.STOCK_EDC, "edc", directory, iterationWait,
                     source.urlOf("benchmark-asset.csv"), START_TIMEOUT)) {
            out.printf("  load average (1, 5, 15 min) before measuring: %s%n", LoadAverage.now());
            var round = new LatencyRound(List.of(kakehashi.route("Kakehashi"), edc.route("EDC")), ConnectorPair.ASSET_ID, options).measure();
            out.printf("  load average (1, 5, 15 min) after measuring:  %s%n", LoadAverage.now());
            round.report(out, csv, iterationWait, 1);
        }
    }
}
