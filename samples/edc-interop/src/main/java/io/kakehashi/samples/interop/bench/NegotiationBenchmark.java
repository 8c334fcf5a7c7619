package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.FileServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
    private static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(60);
    private static final String JVM_OPTIONS = "-Xmx512m -XX:+UseSerialGC";

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int MAX_REASON_LENGTH = 300;

    private final BenchmarkOptions options;
    private final PrintStream out;
    private final List<String> csv = new ArrayList<>();

    private NegotiationBenchmark(BenchmarkOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        var options = BenchmarkOptions.fromSystemProperties();
        StopOnExit.install();
        var started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var run = Files.createDirectories(options.workDirectory()
                .resolve("run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started)));
        var summary = run.resolve("summary.txt");
        try (var file = new PrintStream(Files.newOutputStream(summary), true, StandardCharsets.UTF_8)) {
            var out = new PrintStream(new TeeStream(System.out, file), true, StandardCharsets.UTF_8);
            var benchmark = new NegotiationBenchmark(options, out);
            benchmark.header(started);
            for (var iterationWait : options.iterationWaits()) {
                benchmark.round(iterationWait, run.resolve("wait-" + iterationWait + "ms"));
            }
            Files.write(run.resolve("samples.csv"), benchmark.csv, StandardCharsets.UTF_8);
            out.printf("%nsummary: %s%nsamples: %s%n", summary, run.resolve("samples.csv"));
        }
    }

    private void header(Instant started) {
        out.println("Kakehashi vs stock EDC 0.15.1: catalog request and contract negotiation latency");
        out.printf("started %s; %d CPU(s) seen by the JVM; %s %s %s; Java %s%n", started, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"));
        out.printf("every connector: its own JVM (%s), in-memory stores, DSP 2025-1 over 127.0.0.1%n", JVM_OPTIONS);
        out.printf("per pair and round: %d warm-up catalog requests and negotiations, then %d catalog requests and %d negotiations,%n",
                options.warmup(), options.catalogRequests(), options.negotiations());
        out.printf("one at a time, the two pairs taking turns; a negotiation's state is read every %d ms until FINALIZED%n", options.pollMillis());
        out.printf("pairs:%n  Kakehashi: %s; keys in a PKCS12 vault, peers in a trust-list file%n  EDC:       %s; in-memory vault%n",
                ConnectorKind.KAKEHASHI.description(), ConnectorKind.STOCK_EDC.description());
        csv.add("iteration_wait_ms,pair,operation,sample,millis");
    }

    private void round(long iterationWait, Path directory) throws IOException {
        out.printf("%nround: state machines idle %d ms between iterations, on every connector of both pairs:%n", iterationWait);
        ConnectorSettings.STATE_MACHINES.forEach(machine -> out.printf("  %s.state-machine.iteration-wait-millis=%d%n", machine, iterationWait));

        var sourceDirectory = Files.createDirectories(directory.resolve("source"));
        Files.writeString(sourceDirectory.resolve("benchmark-asset.csv"), "machine,temperature\nlathe-1,41.5\n");
        try (var source = FileServer.serve(sourceDirectory);
             var kakehashi = ConnectorPair.start(ConnectorKind.KAKEHASHI, "kakehashi", directory, iterationWait,
                     source.urlOf("benchmark-asset.csv"), START_TIMEOUT);
             var edc = ConnectorPair.start(ConnectorKind.STOCK_EDC, "edc", directory, iterationWait,
                     source.urlOf("benchmark-asset.csv"), START_TIMEOUT)) {
            out.printf("  load average (1, 5, 15 min) before measuring: %s%n", loadAverage());
            var pairs = List.of(kakehashi, edc);
            var offers = pairs.stream().map(ConnectorPair::fetchOffer).toList();

            var warmup = List.of(new LatencySamples(), new LatencySamples());
            for (var i = 0; i < options.warmup(); i++) {
                for (var p = 0; p < pairs.size(); p++) {
                    catalogRequest(pairs.get(p));
                    negotiation(pairs.get(p), offers.get(p), warmup.get(p));
                }
            }

            var catalogs = List.of(new LatencySamples(), new LatencySamples());
            for (var i = 0; i < options.catalogRequests(); i++) {
                for (var p : turnOrder(i)) {
                    catalogs.get(p).add(catalogRequest(pairs.get(p)));
                }
            }
            // a negotiation that fails is counted and replaced, up to as many again as asked for
            var negotiations = List.of(new LatencySamples(), new LatencySamples());
            for (var i = 0; negotiations.stream().anyMatch(this::wantsMore); i++) {
                for (var p : turnOrder(i)) {
                    if (wantsMore(negotiations.get(p))) {
                        negotiation(pairs.get(p), offers.get(p), negotiations.get(p));
                    }
                }
            }
            out.printf("  load average (1, 5, 15 min) after measuring:  %s%n", loadAverage());
            report(iterationWait, catalogs, warmup, negotiations);
        }
    }

    // alternate who goes first, so that neither pair always runs right after the other's work
    private static List<Integer> turnOrder(int i) {
        return i % 2 == 0 ? List.of(0, 1) : List.of(1, 0);
    }

    private static long catalogRequest(ConnectorPair pair) {
        var start = System.nanoTime();
        pair.consumerManagement().requestCatalog(pair.providerAddress(), pair.providerId());
        return System.nanoTime() - start;
    }

    private boolean wantsMore(LatencySamples samples) {
        return samples.count() < options.negotiations() && samples.count() + samples.failureCount() < 2 * options.negotiations();
    }

    /**
     * Negotiates once and adds the time from the request to the consumer seeing FINALIZED, or the reason it failed.
     */
    private void negotiation(ConnectorPair pair, ObjectNode offer, LatencySamples samples) {
        var consumer = pair.consumerManagement();
        var start = System.nanoTime();
        var id = consumer.negotiate(pair.providerAddress(), offer);
        var deadline = start + NEGOTIATION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var state = consumer.get("/v3/contractnegotiations/" + id + "/state").path("state").asText();
            if ("FINALIZED".equals(state)) {
                samples.add(System.nanoTime() - start);
                return;
            }
            if ("TERMINATED".equals(state)) {
                samples.fail(reason(consumer.get("/v3/contractnegotiations/" + id).path("errorDetail").asText("")));
                return;
            }
            sleep(options.pollMillis());
        }
        samples.fail("not FINALIZED within " + NEGOTIATION_TIMEOUT);
    }

    // the machine is shared: how busy it was says how much to trust a round
    private static String loadAverage() {
        try {
            var fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    // one line per kind of failure: ids differ from one negotiation to the next
    private static String reason(String errorDetail) {
        if (errorDetail.isBlank()) {
            return "TERMINATED by the provider, no detail on the consumer's side (the provider's log has the cause)";
        }
        var reason = "TERMINATED: " + UUID.matcher(errorDetail).replaceAll("<id>");
        return reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "…" : reason;
    }

    private void report(long iterationWait, List<LatencySamples> catalogs, List<LatencySamples> warmup,
                        List<LatencySamples> negotiations) {
        var names = List.of("Kakehashi", "EDC");
        out.printf("  %-22s %10s %10s %14s %10s%n", "latency (ms)", "catalog", "catalog", "negotiation", "negotiation");
        out.printf("  %-22s %10s %10s %14s %10s%n", "", "p50", "p95", "p50", "p95");
        for (var p = 0; p < names.size(); p++) {
            out.printf(Locale.ROOT, "  %-22s %10s %10s %14s %10s%n", names.get(p) + " (n=" + catalogs.get(p).count() + "/" + negotiations.get(p).count() + ")",
                    millis(catalogs.get(p), 50), millis(catalogs.get(p), 95), millis(negotiations.get(p), 50), millis(negotiations.get(p), 95));
            record(iterationWait, names.get(p), "catalog", catalogs.get(p));
            record(iterationWait, names.get(p), "negotiation", negotiations.get(p));
        }
        out.printf(Locale.ROOT, "  %-22s %10s %10s %14s%n", "Kakehashi/EDC, p50", ratio(catalogs), "", ratio(negotiations));
        for (var p = 0; p < names.size(); p++) {
            var failed = new TreeMap<String, Integer>(warmup.get(p).failures());
            negotiations.get(p).failures().forEach((reason, count) -> failed.merge(reason, count, Integer::sum));
            var name = names.get(p);
            failed.forEach((reason, count) -> out.printf("  %s: %d negotiation(s) failed (warm-up included, not in the figures): %s%n", name, count, reason));
        }
    }

    private static String millis(LatencySamples samples, double percent) {
        return samples.count() == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", samples.percentile(percent));
    }

    private static String ratio(List<LatencySamples> kakehashiThenEdc) {
        if (kakehashiThenEdc.get(0).count() == 0 || kakehashiThenEdc.get(1).count() == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", kakehashiThenEdc.get(0).median() / kakehashiThenEdc.get(1).median());
    }

    private void record(long iterationWait, String pair, String operation, LatencySamples samples) {
        var values = samples.values();
        for (var i = 0; i < values.size(); i++) {
            csv.add(String.format(Locale.ROOT, "%d,%s,%s,%d,%.3f", iterationWait, pair, operation, i, values.get(i)));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
