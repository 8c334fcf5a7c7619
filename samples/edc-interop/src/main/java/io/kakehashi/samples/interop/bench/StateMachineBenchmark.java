package io.kakehashi.samples.interop.bench;

import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.support.ConnectorProcess;
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

/**
 * Measures, in one run on one machine, what waking state machines on work changes at each side's default settings:
 * contract negotiation latency (request to the consumer seeing FINALIZED) and the CPU a connector uses while idle,
 * for three pairs: Kakehashi as it ships (state machines woken on work), Kakehashi with
 * {@code kakehashi.state-machine.wake-on-work=false} (EDC's polling, as before the change) and stock EDC 0.15.1.
 * Every EDC state machine is left at EDC's default wait of 1000 ms. The pairs negotiate in turns so that the
 * machine's noise falls on all three; then every connector idles and its CPU time is read from {@code /proc}.
 * <p>
 * A negotiation ends when the consumer reports FINALIZED through an EDC callback ({@link NegotiationCallbacks});
 * {@code -Dbenchmark.completion=poll} instead reads the consumer's state every {@code poll-millis}, as the benchmark
 * did before 2026-12-07 (each read a management request the consumer answers on the CPUs the negotiation needs), and
 * {@code both} measures each pair both ways, in turns.
 * <p>
 * A benchmark, not a test: it asserts nothing about speed. Options: {@code -Dbenchmark.negotiations} (default 30),
 * {@code -Dbenchmark.warmup} (5), {@code -Dbenchmark.idle-seconds} (60), {@code -Dbenchmark.poll-millis} (2),
 * {@code -Dbenchmark.completion} ({@code callback}, {@code poll} or {@code both}).
 */
public final class StateMachineBenchmark {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final long EDC_DEFAULT_WAIT_MILLIS = 1000;

    private final PrintStream out;
    private final int negotiations = Integer.getInteger("benchmark.negotiations", 30);
    private final int warmup = Integer.getInteger("benchmark.warmup", 5);
    private final int idleSeconds = Integer.getInteger("benchmark.idle-seconds", 60);
    private final int pollMillis = Integer.getInteger("benchmark.poll-millis", 2);
    private final List<String> completions = completions(System.getProperty("benchmark.completion", "callback"));
    private final List<String> csv = new ArrayList<>();

    private StateMachineBenchmark(PrintStream out) {
        this.out = out;
    }

    private record Setup(String name, ConnectorKind kind, List<String> jvmOptions) {
    }

    private static List<String> completions(String option) {
        return switch (option) {
            case "callback" -> List.of("callback");
            case "poll" -> List.of("poll");
            case "both" -> List.of("callback", "poll");
            default -> throw new IllegalArgumentException("benchmark.completion: callback, poll or both, not '%s'".formatted(option));
        };
    }

    public static void main(String[] args) throws IOException {
        var options = BenchmarkOptions.fromSystemProperties();
        StopOnExit.install();
        var started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var run = Files.createDirectories(options.workDirectory().resolve("state-machines-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started)));
        try (var file = new PrintStream(Files.newOutputStream(run.resolve("summary.txt")), true, StandardCharsets.UTF_8)) {
            var out = new PrintStream(new TeeStream(System.out, file), true, StandardCharsets.UTF_8);
            var benchmark = new StateMachineBenchmark(out);
            benchmark.run(started, run);
            Files.write(run.resolve("samples.csv"), benchmark.csv, StandardCharsets.UTF_8);
            out.printf("%nsummary: %s%nsamples: %s%n", run.resolve("summary.txt"), run.resolve("samples.csv"));
        }
    }

    private void run(Instant started, Path directory) throws IOException {
        var setups = List.of(
                new Setup("Kakehashi, woken on work", ConnectorKind.KAKEHASHI, List.of()),
                new Setup("Kakehashi, polling", ConnectorKind.KAKEHASHI, List.of("-Dkakehashi.state-machine.wake-on-work=false")),
                new Setup("stock EDC", ConnectorKind.STOCK_EDC, List.of()));
        out.println("Kakehashi state machines woken on work vs polling vs stock EDC 0.15.1, each at its default settings");
        out.printf("started %s; %d CPU(s) seen by the JVM; Java %s%n", started, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf("every connector its own JVM, in-memory stores, DSP 2025-1 over 127.0.0.1; EDC state machines at %d ms (EDC's default)%n", EDC_DEFAULT_WAIT_MILLIS);
        out.printf("%d warm-up and %d measured negotiations per pair and way of learning the end, one at a time, pairs in turns;%n",
                warmup, negotiations);
        out.printf("the end learnt by %s%n", String.join(" and, in turns, by ", completions.stream()
                .map(c -> c.equals("poll") ? "reading the consumer's state every %d ms".formatted(pollMillis) : "the consumer's callback").toList()));
        out.printf("then %d s of idling, CPU time of each connector's JVM from /proc/<pid>/stat%n", idleSeconds);
        csv.add("pair,operation,sample,millis");

        var sourceDirectory = Files.createDirectories(directory.resolve("source"));
        Files.writeString(sourceDirectory.resolve("benchmark-asset.csv"), "machine,temperature\nlathe-1,41.5\n");
        var pairs = new ArrayList<ConnectorPair>();
        try (var source = FileServer.serve(sourceDirectory); var callbacks = NegotiationCallbacks.start()) {
            for (var i = 0; i < setups.size(); i++) {
                var setup = setups.get(i);
                pairs.add(ConnectorPair.start(setup.kind(), "pair" + i, directory, EDC_DEFAULT_WAIT_MILLIS,
                        source.urlOf("benchmark-asset.csv"), START_TIMEOUT, setup.jvmOptions()));
            }
            out.printf("load average before measuring: %s%n", LoadAverage.now());
            var routes = new ArrayList<Route>();
            for (var p = 0; p < pairs.size(); p++) {
                routes.add(pairs.get(p).route(setups.get(p).name()));
            }
            var offers = pairs.stream().map(ConnectorPair::fetchOffer).toList();
            // one series per pair and way of learning the end: index pair * completions + completion
            var series = pairs.size() * completions.size();
            var samples = new ArrayList<LatencySamples>();
            var warm = new ArrayList<LatencySamples>();
            for (var s = 0; s < series; s++) {
                samples.add(new LatencySamples());
                warm.add(new LatencySamples());
            }
            for (var i = 0; i < warmup; i++) {
                for (var s = 0; s < series; s++) {
                    negotiate(routes.get(s / completions.size()), offers.get(s / completions.size()), completions.get(s % completions.size()),
                            warm.get(s), callbacks);
                }
            }
            for (var i = 0; samples.stream().anyMatch(this::wantsMore); i++) {
                for (var k = 0; k < series; k++) {
                    var s = (i + k) % series; // rotate who goes first
                    if (wantsMore(samples.get(s))) {
                        negotiate(routes.get(s / completions.size()), offers.get(s / completions.size()), completions.get(s % completions.size()),
                                samples.get(s), callbacks);
                    }
                }
            }
            out.printf("load average after negotiating: %s%n", LoadAverage.now());

            // idle: nothing asked of any connector; settle first so that the last negotiation's work is over
            ConnectorProcess.sleep(10_000);
            var pids = new ArrayList<long[]>();
            for (var pair : pairs) {
                pids.add(new long[]{ConnectorCpu.pid(pair.provider()), ConnectorCpu.pid(pair.consumer())});
            }
            var before = cpuSeconds(pids);
            ConnectorProcess.sleep(idleSeconds * 1000L);
            var after = cpuSeconds(pids);
            out.printf("load average after idling: %s%n", LoadAverage.now());

            out.printf("%n  %-36s %8s %8s %8s %22s%n", "", "n", "p50 ms", "p95 ms", "idle CPU (cores) p/c");
            for (var s = 0; s < series; s++) {
                var p = s / completions.size();
                var name = seriesName(setups.get(p), completions.get(s % completions.size()));
                var latencies = samples.get(s);
                var provider = cores(before.get(p)[0], after.get(p)[0]);
                var consumer = cores(before.get(p)[1], after.get(p)[1]);
                out.printf(Locale.ROOT, "  %-36s %8d %8s %8s %10s / %-10s%n", name, latencies.count(),
                        latencies.formatted(50), latencies.formatted(95), provider, consumer);
                var values = latencies.values();
                for (var i = 0; i < values.size(); i++) {
                    csv.add(String.format(Locale.ROOT, "%s,negotiation,%d,%.3f", name, i, values.get(i)));
                }
            }
            for (var c = 0; c < completions.size(); c++) {
                var woken = samples.get(c);
                var polling = samples.get(completions.size() + c);
                var stock = samples.get(2 * completions.size() + c);
                if (woken.count() > 0 && polling.count() > 0 && stock.count() > 0) {
                    out.printf(Locale.ROOT, "  negotiation p50%s, woken / polling: %.3f; woken / stock EDC: %.3f%n",
                            completions.size() > 1 ? " (" + completions.get(c) + ")" : "",
                            woken.median() / polling.median(), woken.median() / stock.median());
                }
            }
            for (var s = 0; s < series; s++) {
                var name = seriesName(setups.get(s / completions.size()), completions.get(s % completions.size()));
                var failures = new java.util.TreeMap<String, Integer>(warm.get(s).failures());
                samples.get(s).failures().forEach((reason, count) -> failures.merge(reason, count, Integer::sum));
                failures.forEach((reason, count) -> out.printf("  %s: %d negotiation(s) failed (warm-up included, not in the figures): %s%n", name, count, reason));
            }
        } finally {
            pairs.forEach(ConnectorPair::close);
        }
    }

    private void negotiate(Route route, com.fasterxml.jackson.databind.node.ObjectNode offer, String completion, LatencySamples samples,
                           NegotiationCallbacks callbacks) {
        if (completion.equals("poll")) {
            route.negotiate(offer, samples, pollMillis);
        } else {
            route.negotiate(offer, samples, callbacks);
        }
    }

    private String seriesName(Setup setup, String completion) {
        return completions.size() > 1 ? setup.name() + " (" + completion + ")" : setup.name();
    }

    private boolean wantsMore(LatencySamples samples) {
        return samples.count() < negotiations && samples.count() + samples.failureCount() < 2 * negotiations;
    }

    private static List<double[]> cpuSeconds(List<long[]> pids) {
        var seconds = new ArrayList<double[]>();
        for (var pair : pids) {
            seconds.add(new double[]{ConnectorCpu.seconds(pair[0]), ConnectorCpu.seconds(pair[1])});
        }
        return seconds;
    }

    private String cores(double before, double after) {
        return String.format(Locale.ROOT, "%.4f", (after - before) / idleSeconds);
    }
}
