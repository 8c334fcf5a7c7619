package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.ManagementClient;

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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the DSP catalog at many assets: a provider holding {@code benchmark.assets} assets, all offered by one
 * contract definition with an empty asset selector, and a consumer asking it for one page of its catalog through its
 * management API ({@code POST /v3/catalog/request} with a {@code querySpec}) — the first page and, with
 * {@code benchmark.deep-page=true}, the last full page. The first page is measured twice: once while the provider holds
 * just one page of assets (what a request costs besides the assets) and once at the full size. Kakehashi pair and stock EDC 0.15.1 pair in the same run,
 * measured in turns, ratio of the medians printed; with {@code benchmark.edc=false} only the Kakehashi pair (for sizes
 * the stock pair takes too long to fill). The provider's assets are created through its management API, several at
 * a time, and that publishing is timed too.
 * <p>
 * A benchmark, not a test: it asserts nothing about speed. It does check that each answer holds the page asked for.
 * Options (system properties): {@code benchmark.assets} (10000), {@code benchmark.catalog-requests} (30),
 * {@code benchmark.warmup} (5), {@code benchmark.page-size} (50), {@code benchmark.deep-page} (true),
 * {@code benchmark.edc} (true), {@code benchmark.publish-threads} (4).
 */
public final class CatalogPagingBenchmark {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    // EDC's default pace: the catalog request involves no state machine
    private static final long ITERATION_WAIT = 1000;
    private static final String EDC_NAMESPACE = "https://w3id.org/edc/v0.0.1/ns/";

    private final PrintStream out;
    private final int assets = positive("benchmark.assets", 10_000);
    private final int requests = positive("benchmark.catalog-requests", 30);
    private final int warmup = positive("benchmark.warmup", 5);
    private final int pageSize = positive("benchmark.page-size", 50);
    private final int threads = positive("benchmark.publish-threads", 4);
    private final boolean deepPage = Boolean.parseBoolean(System.getProperty("benchmark.deep-page", "true"));
    private final boolean withEdc = Boolean.parseBoolean(System.getProperty("benchmark.edc", "true"));
    private final List<String> csv = new ArrayList<>();

    private CatalogPagingBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        StopOnExit.install();
        var started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var work = Path.of(System.getProperty("kakehashi.interop.work-dir", "target/benchmark")).toAbsolutePath();
        var run = Files.createDirectories(work.resolve("catalog-run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(started)));
        // a private copy of the launcher jar, so that a rebuild of the launcher during the run cannot change what runs
        var launcher = ConnectorProcess.launcherJar();
        var copy = run.resolve("kakehashi-connector.jar");
        Files.copy(launcher, copy);
        System.setProperty("kakehashi.launcher.jar", copy.toString());
        try (var file = new PrintStream(Files.newOutputStream(run.resolve("summary.txt")), true, StandardCharsets.UTF_8)) {
            var out = new PrintStream(new TeeStream(System.out, file), true, StandardCharsets.UTF_8);
            var benchmark = new CatalogPagingBenchmark(out);
            benchmark.run(started, run);
            Files.write(run.resolve("samples.csv"), benchmark.csv, StandardCharsets.UTF_8);
            out.printf("%nsummary: %s%n", run.resolve("summary.txt"));
        }
    }

    private void run(Instant started, Path directory) throws Exception {
        out.println("DSP catalog paging: one page of a provider's catalog at many assets, Kakehashi" + (withEdc ? " vs stock EDC 0.15.1" : ""));
        out.printf("started %s; %d CPU(s) seen by the JVM; %s %s; Java %s%n", started, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
        out.printf("%d assets on each provider, one contract definition offering all of them (empty selector, open policies);%n", assets);
        out.printf("page size %d; %d warm-up and %d measured requests per page and pair, pairs taking turns%n", pageSize, warmup, requests);
        csv.add("pair,datasets,offset,sample,millis");

        var sourceDirectory = Files.createDirectories(directory.resolve("source"));
        Files.writeString(sourceDirectory.resolve("benchmark-asset.csv"), "machine,temperature\nlathe-1,41.5\n");
        try (var source = FileServer.serve(sourceDirectory)) {
            var url = source.urlOf("benchmark-asset.csv");
            var pairs = new ArrayList<ConnectorPair>();
            try {
                pairs.add(ConnectorPair.start(ConnectorKind.KAKEHASHI, "kakehashi", directory, ITERATION_WAIT, url, START_TIMEOUT));
                if (withEdc) {
                    pairs.add(ConnectorPair.start(ConnectorKind.STOCK_EDC, "edc", directory, ITERATION_WAIT, url, START_TIMEOUT));
                }
                // first a catalog just large enough for one full page: what a request costs besides the assets
                var small = Math.min(assets, pageSize);
                for (var pair : pairs) {
                    offerAll(pair);
                    publish(pair, url, 0, small);
                }
                out.printf("load average (1, 5, 15 min) before measuring: %s%n", LoadAverage.now());
                measure(pairs, 0, small + 1);
                for (var pair : pairs) {
                    publish(pair, url, small, assets);
                }
                out.printf("load average (1, 5, 15 min) before measuring: %s%n", LoadAverage.now());
                measure(pairs, 0, assets + 1);
                if (deepPage) {
                    // the last full page: offset total - pageSize (the total counts the pair's own benchmark-asset)
                    measure(pairs, assets + 1 - pageSize, assets + 1);
                }
                out.printf("load average (1, 5, 15 min) after measuring:  %s%n", LoadAverage.now());
            } finally {
                for (var pair : pairs) {
                    pair.close();
                }
            }
        }
    }

    private static void offerAll(ConnectorPair pair) {
        var management = pair.provider().management();
        management.createOpenPolicy("paging-open");
        var definition = ManagementClient.body("ContractDefinition").put("@id", "paging-all")
                .put("accessPolicyId", "paging-open").put("contractPolicyId", "paging-open");
        definition.putArray("assetsSelector");
        management.post("/v3/contractdefinitions", definition);
    }

    // creates assets [from, to) through the provider's management API, several requests at a time
    private void publish(ConnectorPair pair, String url, int from, int to) throws Exception {
        var management = pair.provider().management();
        var start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = from + first; i < to; i += threads) {
                        var id = "asset-%06d".formatted(i);
                        management.createAsset(id, Map.of("name", "benchmark asset " + i, "contenttype", "text/csv"),
                                Map.of("type", "HttpData", "baseUrl", url));
                    }
                }));
            }
            for (var future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        var seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%s provider: %d assets created through the management API (%d at a time) in %.1f s, %.0f assets/s%n",
                name(pair), to - from, threads, seconds, (to - from) / seconds);
    }

    private void measure(List<ConnectorPair> pairs, int offset, int total) {
        var samples = new ArrayList<LatencySamples>();
        pairs.forEach(p -> samples.add(new LatencySamples()));
        for (int i = 0; i < warmup; i++) {
            for (var pair : pairs) {
                request(pair, offset);
            }
        }
        for (int i = 0; i < requests; i++) {
            for (int k = 0; k < pairs.size(); k++) {
                // alternate who goes first, so that neither pair always runs right after the other's work
                var p = i % 2 == 0 ? k : pairs.size() - 1 - k;
                samples.get(p).add(request(pairs.get(p), offset));
            }
        }
        out.printf("%npage at offset %d (limit %d) of a catalog of %d datasets:%n", offset, pageSize, total);
        out.printf("  %-12s %10s %10s%n", "latency (ms)", "p50", "p95");
        for (int p = 0; p < pairs.size(); p++) {
            var s = samples.get(p);
            out.printf(Locale.ROOT, "  %-12s %10.1f %10.1f%n", name(pairs.get(p)) + " (n=" + s.count() + ")", s.median(), s.percentile(95));
            var values = s.values();
            for (int i = 0; i < values.size(); i++) {
                csv.add(String.format(Locale.ROOT, "%s,%d,%d,%d,%.3f", name(pairs.get(p)), total, offset, i, values.get(i)));
            }
        }
        if (pairs.size() == 2) {
            out.printf(Locale.ROOT, "  Kakehashi/EDC, p50: %.2f%n", samples.get(0).median() / samples.get(1).median());
        }
    }

    private long request(ConnectorPair pair, int offset) {
        var body = ManagementClient.body("CatalogRequest")
                .put("counterPartyAddress", pair.providerAddress())
                .put("counterPartyId", pair.providerId())
                .put("protocol", "dataspace-protocol-http:2025-1");
        body.putObject("querySpec").put("offset", offset).put("limit", pageSize);
        var start = System.nanoTime();
        JsonNode catalog = pair.consumerManagement().post("/v3/catalog/request", body);
        var nanos = System.nanoTime() - start;
        var count = ManagementClient.datasets(catalog).size();
        if (count != pageSize) {
            throw new IllegalStateException("%s: the page at offset %d holds %d datasets, not %d".formatted(name(pair), offset, count, pageSize));
        }
        return nanos;
    }

    private static String name(ConnectorPair pair) {
        return pair.kind() == ConnectorKind.KAKEHASHI ? "Kakehashi" : "EDC";
    }

    private static int positive(String key, int defaultValue) {
        var value = Integer.parseInt(System.getProperty(key, String.valueOf(defaultValue)).trim());
        if (value <= 0) {
            throw new IllegalArgumentException("%s must be positive: %d".formatted(key, value));
        }
        return value;
    }
}
