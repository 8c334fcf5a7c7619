package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.HttpSink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two figures of issue 18 that the one-at-a-time benchmarks cannot give, for a Kakehashi pair and a stock EDC 0.15.1
 * pair ({@code iam-mock}) in one run, one round per state-machine wait:
 * <ul>
 *     <li><b>transfer request to data at the consumer</b>: from the consumer's {@code POST /v3/transferprocesses} to a
 *     small payload whole at the consumer (the HTTP sink or the file the gRPC receiver writes), one transfer at a time,
 *     the methods taking turns: stock EDC's {@code HttpData-PUSH}, Kakehashi's {@code HttpData-PUSH},
 *     {@code GrpcStream-PULL} and {@code GrpcStream-PUSH}. A payload of a kilobyte arrives in one piece, so its first
 *     byte and its last arrive together; the time is an upper bound of the time to the first byte;</li>
 *     <li><b>negotiations per second at a concurrency of 32</b>: 32 client threads each negotiating the provider's offer
 *     back to back ({@code POST /v3/contractnegotiations}, then the state read until FINALIZED) until the pair has
 *     made its count; completed negotiations per second of wall time, their p50 and p95, the CPU seconds the
 *     provider and consumer used per completed negotiation, and every failure (TERMINATED, an error of the management
 *     API, a timeout) counted by reason. Each pair's count is made in two
 *     halves, in the order Kakehashi, stock, stock, Kakehashi, so that the machine's noise falls on both.</li>
 * </ul>
 * Rounds: at {@value #EDC_DEFAULT_WAIT_MILLIS} ms, EDC's default, each side runs at its defaults (Kakehashi's state
 * machines woken on work with their idle wait of 2 s; stock EDC polling every second). At any other wait {@code w}
 * every EDC state machine of both pairs waits {@code w}, and Kakehashi's woken loops wait at most {@code w} too
 * ({@code kakehashi.state-machine.idle-wait=w}, {@code after-wake-wait} the smaller of {@code w} and its default).
 * <p>
 * A benchmark, not a test: it asserts nothing about speed. Options (system properties): {@code benchmark.iteration-waits}
 * (default {@code 1000,10}), {@code benchmark.concurrency} (32), {@code benchmark.rate.negotiations} (measured
 * negotiations per pair and round, 320), {@code benchmark.rate.poll-millis} (pause between two reads of a negotiation's
 * state, 100: 32 clients reading every 20 ms would ask 1,600 times a second, a load of its own),
 * {@code benchmark.transfers} (measured transfers per method and round, 20), {@code benchmark.transfer.warmup} (3),
 * {@code benchmark.transfer.bytes} (1024), {@code benchmark.transfer.methods} (the four above, by {@link TransferMethod}
 * name; none skips the transfers), {@code kakehashi.interop.work-dir}.
 */
public final class ConcurrencyAndFirstByteBenchmark {

    private static final long EDC_DEFAULT_WAIT_MILLIS = 1000;
    private static final Duration KAKEHASHI_DEFAULT_AFTER_WAKE_WAIT = Duration.ofMillis(20);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    private static final String PAYLOAD = "benchmark-asset.csv";

    private final BenchmarkOptions options = BenchmarkOptions.fromSystemProperties();
    private final int concurrency = positive("benchmark.concurrency", 32);
    private final int rateNegotiations = positive("benchmark.rate.negotiations", 320);
    private final int ratePollMillis = positive("benchmark.rate.poll-millis", 100);
    private final int transfers = positive("benchmark.transfers", 20);
    private final int transferWarmup = Integer.getInteger("benchmark.transfer.warmup", 3);
    private final int payloadBytes = positive("benchmark.transfer.bytes", 1024);
    private final List<TransferMethod> methods = Arrays.stream(System.getProperty("benchmark.transfer.methods",
                    "STOCK_EDC_HTTP_PUSH,KAKEHASHI_HTTP_PUSH,KAKEHASHI_GRPC_PULL,KAKEHASHI_GRPC_PUSH").split(","))
            .map(String::trim).filter(name -> !name.isEmpty()).map(TransferMethod::valueOf).toList();
    private int transfersStarted;

    private ConcurrencyAndFirstByteBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        var benchmark = new ConcurrencyAndFirstByteBenchmark();
        RoundsRun.run("concurrency", "Kakehashi vs stock EDC 0.15.1: transfer request to data, and negotiations per second at concurrency "
                + benchmark.concurrency, benchmark.options, benchmark::describe, benchmark::round);
        System.exit(0);
    }

    private void describe(PrintStream out) {
        out.printf("every connector its own JVM, in-memory stores, DSP 2025-1 over 127.0.0.1; pairs:%n  Kakehashi: %s%n  EDC:       %s%n",
                ConnectorKind.KAKEHASHI.description(), ConnectorKind.STOCK_EDC.description());
        out.printf("transfers: a %d-byte payload, %d warm-up and %d measured transfers per method and round, one at a time, methods in turns: %s%n",
                payloadBytes, transferWarmup, transfers, methods.stream().map(TransferMethod::label).toList());
        out.printf("negotiations: %d client threads, %d measured negotiations per pair and round (after %d unmeasured), state read every %d ms%n",
                concurrency, rateNegotiations, concurrency, ratePollMillis);
        out.printf("round at %d ms: each side at its defaults; at another wait w: every EDC state machine of both pairs at w, Kakehashi's idle wait w%n",
                EDC_DEFAULT_WAIT_MILLIS);
    }

    private void round(long iterationWait, Path directory, PrintStream out, List<String> csv) throws IOException {
        var kakehashiOptions = kakehashiOptions(iterationWait);
        out.printf("%nround: %s%n", iterationWait == EDC_DEFAULT_WAIT_MILLIS
                ? "each side at its defaults (stock EDC's state machines polling every 1000 ms; Kakehashi's woken on work)"
                : "every EDC state machine of both pairs at %d ms; Kakehashi %s".formatted(iterationWait, kakehashiOptions));
        ConnectorSettings.STATE_MACHINES.forEach(machine -> out.printf("  %s.state-machine.iteration-wait-millis=%d%n", machine, iterationWait));

        var sourceDirectory = Files.createDirectories(directory.resolve("source"));
        Files.writeString(sourceDirectory.resolve(PAYLOAD), payload(payloadBytes));
        var received = Files.createDirectories(directory.resolve("received"));
        try (var source = FileServer.serve(sourceDirectory);
             var sink = HttpSink.receiveInto(directory.resolve("sink"));
             var kakehashi = ConnectorPair.start(ConnectorKind.KAKEHASHI, "kakehashi", directory, iterationWait,
                     source.urlOf(PAYLOAD), START_TIMEOUT, kakehashiOptions);
             var edc = ConnectorPair.start(ConnectorKind.STOCK_EDC, "edc", directory, iterationWait,
                     source.urlOf(PAYLOAD), START_TIMEOUT)) {
            out.printf("  load average (1, 5, 15 min) before the transfers: %s%n", LoadAverage.now());
            if (!methods.isEmpty()) {
                measureTransfers(kakehashi, edc, sink, received, iterationWait, out, csv);
            }
            out.printf("  load average (1, 5, 15 min) before the concurrent negotiations: %s%n", LoadAverage.now());
            measureRate(List.of(kakehashi, edc), List.of("Kakehashi", "stock EDC"), iterationWait, out, csv);
            out.printf("  load average (1, 5, 15 min) after the round: %s%n", LoadAverage.now());
        }
    }

    private List<String> kakehashiOptions(long iterationWait) {
        if (iterationWait == EDC_DEFAULT_WAIT_MILLIS) {
            return List.of();
        }
        var wait = Duration.ofMillis(iterationWait);
        var afterWake = wait.compareTo(KAKEHASHI_DEFAULT_AFTER_WAKE_WAIT) < 0 ? wait : KAKEHASHI_DEFAULT_AFTER_WAKE_WAIT;
        return List.of("-Dkakehashi.state-machine.idle-wait=" + wait, "-Dkakehashi.state-machine.after-wake-wait=" + afterWake);
    }

    private void measureTransfers(ConnectorPair kakehashi, ConnectorPair edc, HttpSink sink, Path received, long iterationWait,
                                  PrintStream out, List<String> csv) {
        var agreements = Map.of(kakehashi, kakehashi.agree(), edc, edc.agree());
        var warm = new EnumMap<TransferMethod, LatencySamples>(TransferMethod.class);
        var measured = new EnumMap<TransferMethod, LatencySamples>(TransferMethod.class);
        methods.forEach(method -> {
            warm.put(method, new LatencySamples());
            measured.put(method, new LatencySamples());
        });
        for (var i = 0; i < transferWarmup; i++) {
            for (var method : methods) {
                var pair = method.stock() ? edc : kakehashi;
                transfer(pair, agreements.get(pair), method, sink, received, warm.get(method));
            }
        }
        for (var i = 0; i < transfers; i++) {
            for (var k = 0; k < methods.size(); k++) {
                var method = methods.get((i + k) % methods.size()); // rotate who goes first
                var pair = method.stock() ? edc : kakehashi;
                transfer(pair, agreements.get(pair), method, sink, received, measured.get(method));
            }
        }
        out.printf("  transfer request to the %d-byte payload at the consumer (ms):%n", payloadBytes);
        out.printf("    %-30s %5s %9s %9s %9s %9s%n", "", "n", "p50", "p95", "min", "max");
        for (var method : methods) {
            var samples = measured.get(method);
            out.printf(Locale.ROOT, "    %-30s %5d %9s %9s %9s %9s%n", method.label(), samples.count(), samples.formatted(50),
                    samples.formatted(95), samples.formatted(0), samples.formatted(100));
            LatencyRound.record(csv, iterationWait, method.label(), "request-to-data", samples);
        }
        var stock = measured.get(TransferMethod.STOCK_EDC_HTTP_PUSH);
        if (stock != null) {
            methods.stream().filter(method -> !method.stock()).forEach(method -> out.printf("    p50 ratio %s / %s: %s%n",
                    method.label(), TransferMethod.STOCK_EDC_HTTP_PUSH.label(), measured.get(method).medianRatio(stock)));
        }
        reportFailures(out, "transfer(s)", methods.stream().map(TransferMethod::label).toList(),
                methods.stream().map(warm::get).toList(), methods.stream().map(measured::get).toList());
    }

    /** One transfer, timed from the request to the payload at the consumer; counted once it has also COMPLETED. */
    private void transfer(ConnectorPair pair, String agreementId, TransferMethod method, HttpSink sink, Path received,
                          LatencySamples samples) {
        var name = "transfer-" + (++transfersStarted) + ".csv";
        var landed = method.pushesToHttp() ? sink.directory().resolve(name) : received.resolve(name);
        var consumer = pair.consumerManagement();
        try {
            var begin = System.nanoTime();
            var transferId = method.start(pair, agreementId, sink.urlFor(name), landed);
            TransferMethod.awaitLanded(consumer, transferId, landed, TRANSFER_TIMEOUT);
            var elapsed = System.nanoTime() - begin;
            try {
                consumer.awaitCompleted(transferId, TRANSFER_TIMEOUT);
            } catch (IllegalStateException notCompleted) {
                var process = consumer.transfer(transferId);
                samples.fail(Route.failureReason("the data arrived, but the consumer's transfer process was %s, not COMPLETED (waited up to %s)%s"
                        .formatted(process.path("state").asText(), TRANSFER_TIMEOUT,
                                process.path("errorDetail").isMissingNode() ? "" : ": " + process.path("errorDetail").asText())));
                return;
            }
            var size = Files.size(landed);
            if (size != payloadBytes) {
                samples.fail("%d bytes arrived, not %d".formatted(size, payloadBytes));
                return;
            }
            samples.add(elapsed);
        } catch (IOException | RuntimeException e) {
            samples.fail(Route.failureReason(e.getClass().getSimpleName() + ": " + e.getMessage()));
        } finally {
            try {
                Files.deleteIfExists(landed);
            } catch (IOException e) {
                // a leftover file of a kilobyte changes nothing measured
            }
        }
    }

    private void measureRate(List<ConnectorPair> pairs, List<String> names, long iterationWait, PrintStream out, List<String> csv) {
        var routes = new ArrayList<Route>();
        for (var r = 0; r < pairs.size(); r++) {
            routes.add(pairs.get(r).route(names.get(r)));
        }
        var offers = routes.stream().map(route -> route.fetchOffer(ConnectorPair.ASSET_ID)).toList();
        var pids = pairs.stream().map(pair -> new long[]{ConnectorCpu.pid(pair.provider()), ConnectorCpu.pid(pair.consumer())}).toList();
        var warm = new ArrayList<LatencySamples>();
        var measured = new ArrayList<LatencySamples>();
        var seconds = new double[routes.size()];
        var cpuSeconds = new double[routes.size()];
        for (var r = 0; r < routes.size(); r++) {
            warm.add(new LatencySamples());
            measured.add(new LatencySamples());
            burst(routes.get(r), offers.get(r), concurrency, warm.get(r));
        }
        var halves = new int[]{rateNegotiations - rateNegotiations / 2, rateNegotiations / 2};
        var order = new ArrayList<Integer>();
        for (var r = 0; r < routes.size(); r++) {
            order.add(r);
        }
        for (var half : halves) {
            for (var r : order) {
                var burst = new LatencySamples();
                var cpuBefore = cpuSeconds(pids.get(r));
                var took = burst(routes.get(r), offers.get(r), half, burst);
                var cpu = cpuSeconds(pids.get(r)) - cpuBefore;
                seconds[r] += took;
                cpuSeconds[r] += cpu;
                out.printf(Locale.ROOT, "    %s: %d negotiations in %.1f s, %d completed (%.2f per s), %d failed; provider and consumer used %.1f CPU-s; load %s%n",
                        routes.get(r).name(), half, took, burst.count(), burst.count() / took, burst.failureCount(), cpu, LoadAverage.now());
                measured.get(r).addAll(burst);
            }
            java.util.Collections.reverse(order);
        }
        out.printf("  negotiations at concurrency %d (latency in ms, request to FINALIZED):%n", concurrency);
        out.printf("    %-12s %9s %9s %9s %9s %9s %9s %14s%n", "", "asked", "completed", "failed", "per s", "p50", "p95", "CPU-s each");
        for (var r = 0; r < routes.size(); r++) {
            var samples = measured.get(r);
            out.printf(Locale.ROOT, "    %-12s %9d %9d %9d %9.2f %9s %9s %14.3f%n", routes.get(r).name(), rateNegotiations, samples.count(),
                    samples.failureCount(), samples.count() / seconds[r], samples.formatted(50), samples.formatted(95),
                    cpuSeconds[r] / Math.max(1, samples.count()));
            LatencyRound.record(csv, iterationWait, routes.get(r).name(), "negotiation-at-" + concurrency, samples);
        }
        for (var r = 1; r < routes.size(); r++) {
            out.printf(Locale.ROOT, "    completed per s, %s / %s: %.2f; p50 ratio %s%n", routes.get(0).name(), routes.get(r).name(),
                    (measured.get(0).count() / seconds[0]) / (measured.get(r).count() / seconds[r]), measured.get(0).medianRatio(measured.get(r)));
        }
        reportFailures(out, "negotiation(s)", routes.stream().map(Route::name).toList(), warm, measured);
    }

    // CPU seconds a pair's provider and consumer have used so far
    private static double cpuSeconds(long[] pids) {
        return ConnectorCpu.seconds(pids[0]) + ConnectorCpu.seconds(pids[1]);
    }

    /** {@code count} negotiations on {@code concurrency} threads; answers the wall time in seconds. */
    private double burst(Route route, ObjectNode offer, int count, LatencySamples into) {
        var remaining = new AtomicInteger(count);
        var perThread = new ArrayList<LatencySamples>();
        var pool = Executors.newFixedThreadPool(concurrency);
        try {
            var begin = System.nanoTime();
            var running = new ArrayList<Future<?>>();
            for (var t = 0; t < concurrency; t++) {
                var mine = new LatencySamples();
                perThread.add(mine);
                running.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        route.negotiateCountingErrors(offer, mine, ratePollMillis);
                    }
                }));
            }
            for (var future : running) {
                future.get();
            }
            var took = (System.nanoTime() - begin) / 1e9;
            perThread.forEach(into::addAll);
            return took;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a client thread failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void reportFailures(PrintStream out, String what, List<String> names, List<LatencySamples> warm,
                                       List<LatencySamples> measured) {
        for (var i = 0; i < names.size(); i++) {
            var name = names.get(i);
            warm.get(i).failures().forEach((reason, count) -> out.printf("    %s: %d %s failed in the warm-up: %s%n", name, count, what, reason));
            measured.get(i).failures().forEach((reason, count) -> out.printf("    %s: %d measured %s failed: %s%n", name, count, what, reason));
        }
    }

    // readable rows of machine readings, cut to the size asked for
    private static String payload(int bytes) {
        var text = new StringBuilder("machine,temperature\n");
        for (var i = 0; text.length() < bytes; i++) {
            text.append("lathe-").append(i).append(',').append(40 + i % 10).append(".5\n");
        }
        return text.substring(0, bytes);
    }

    private static int positive(String key, int defaultValue) {
        var value = Integer.getInteger(key, defaultValue);
        if (value <= 0) {
            throw new IllegalArgumentException("%s must be positive: %d".formatted(key, value));
        }
        return value;
    }
}
