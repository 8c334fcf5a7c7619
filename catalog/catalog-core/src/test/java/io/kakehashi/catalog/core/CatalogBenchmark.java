package io.kakehashi.catalog.core;

import com.sun.net.httpserver.HttpServer;
import io.kakehashi.catalog.profiles.DataProfiles;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Rerunnable measurements of the catalog (not a test; speed is not asserted anywhere):
 * <ol>
 *   <li>publishing assets with manufacturing-profile metadata, each SHACL-validated: a sample (default 2,000) into
 *       TDB2 one transaction per asset as the management API does (rate, disk growth, compaction), then N (default
 *       100,000) in bulk into TDB2 (1,000 per transaction) and N into memory: time, rate, heap, disk;</li>
 *   <li>one full crawl of P simulated peers (default 100) × D datasets (default 1,000), served as JSON-LD by an HTTP
 *       server on 127.0.0.1, into TDB2;</li>
 *   <li>p50/p95 of three representative queries over that federated catalog.</li>
 * </ol>
 * System properties: {@code bench.assets}, {@code bench.sample}, {@code bench.peers}, {@code bench.datasets}, {@code bench.runs},
 * {@code bench.dir} (default a temporary directory, deleted afterwards).
 */
public final class CatalogBenchmark {

    private static final Monitor QUIET = new Monitor() {
    };

    private CatalogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var assets = Integer.getInteger("bench.assets", 100_000);
        var peers = Integer.getInteger("bench.peers", 100);
        var datasets = Integer.getInteger("bench.datasets", 1_000);
        var runs = Integer.getInteger("bench.runs", 50);
        var root = System.getProperty("bench.dir") == null ? Files.createTempDirectory("kakehashi-catalog-bench") : Path.of(System.getProperty("bench.dir"));
        System.out.printf("catalog benchmark: %d assets; %d peers x %d datasets; %d runs per query; JVM max heap %d MB; %d CPUs%n",
                assets, peers, datasets, runs, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        try {
            publish(root.resolve("own"), assets, Integer.getInteger("bench.sample", 2_000));
            federated(root.resolve("federated"), peers, datasets, runs);
        } finally {
            if (System.getProperty("bench.dir") == null) {
                delete(root);
            }
        }
        // the JDK HTTP client keeps non-daemon threads; a benchmark run is over here
        System.exit(0);
    }

    private static void publish(Path root, int count, int sample) {
        var template = CatalogTestFixtures.example("manufacturing");
        Supplier<java.util.function.IntFunction<String>> metadata = () -> i -> template.replace("manufacturing-machine-operation-2025", "machine-operation-" + i);

        // 1. as the management API publishes: one asset, one validation, one write transaction
        var single = CatalogDatasets.tdb2(root.resolve("single"));
        var store = new DcatCatalogStore(single, DataProfiles.shipped(), Clock.systemUTC());
        var perAsset = metadata.get();
        store.put("warm-up", perAsset.apply(-1));
        store.remove("warm-up");
        var start = System.nanoTime();
        for (int i = 0; i < sample; i++) {
            store.put("asset-" + i, perAsset.apply(i)).orElseThrow(f -> new IllegalStateException(f.getFailureDetail()));
        }
        var seconds = (System.nanoTime() - start) / 1e9;
        var grown = size(root.resolve("single"));
        start = System.nanoTime();
        CatalogDatasets.compact(single);
        var compactSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("publish, one TDB2 transaction per asset (management API path): %d assets in %.1f s = %.0f assets/s (%.1f ms each); disk %d MB, %d MB after a compaction taking %.1f s%n",
                sample, seconds, sample / seconds, seconds * 1000 / sample, grown >> 20, size(root.resolve("single")) >> 20, compactSeconds);
        CatalogDatasets.release(single);

        // 2. bulk: all validated, stored in transactions of 1,000
        var bulk = CatalogDatasets.tdb2(root.resolve("bulk"));
        var bulkStore = new DcatCatalogStore(bulk, DataProfiles.shipped(), Clock.systemUTC());
        var heapBefore = usedHeap();
        start = System.nanoTime();
        for (int from = 0; from < count; from += 1000) {
            var batch = new java.util.LinkedHashMap<String, String>();
            for (int i = from; i < Math.min(count, from + 1000); i++) {
                batch.put("asset-" + i, perAsset.apply(i));
            }
            bulkStore.putAll(batch).orElseThrow(f -> new IllegalStateException(f.getFailureDetail()));
        }
        seconds = (System.nanoTime() - start) / 1e9;
        var heapAfter = usedHeap();
        System.out.printf("publish, bulk (putAll, 1,000 per TDB2 transaction): %d assets in %.1f s = %.0f assets/s; heap in use %d MB -> %d MB after GC; disk %d MB",
                count, seconds, count / seconds, heapBefore >> 20, heapAfter >> 20, size(root.resolve("bulk")) >> 20);
        CatalogDatasets.compact(bulk);
        System.out.printf(", %d MB after compaction%n", size(root.resolve("bulk")) >> 20);
        CatalogDatasets.release(bulk);

        // 3. in memory, one transaction per asset
        var memory = new DcatCatalogStore(CatalogDatasets.inMemory(), DataProfiles.shipped(), Clock.systemUTC());
        heapBefore = usedHeap();
        start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            memory.put("asset-" + i, perAsset.apply(i)).orElseThrow(f -> new IllegalStateException(f.getFailureDetail()));
        }
        seconds = (System.nanoTime() - start) / 1e9;
        heapAfter = usedHeap();
        System.out.printf("publish, in memory, one transaction per asset: %d assets in %.1f s = %.0f assets/s; heap in use %d MB -> %d MB after GC%n",
                count, seconds, count / seconds, heapBefore >> 20, heapAfter >> 20);
    }

    private static void federated(Path directory, int peerCount, int datasetsPerPeer, int runs) throws Exception {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var pages = new String[peerCount];
        for (int p = 0; p < peerCount; p++) {
            pages[p] = peerCatalog(p, datasetsPerPeer);
        }
        var empty = peerCatalog(-1, 0);
        server.createContext("/", exchange -> {
            var path = exchange.getRequestURI().getPath();
            var query = exchange.getRequestURI().getQuery();
            // /peer-<n>/catalog
            var peer = Integer.parseInt(path.split("/")[1].substring("peer-".length()));
            var body = (query != null && query.contains("offset=0") ? pages[peer] : empty).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/ld+json");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        var serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.start();
        var http = HttpClient.newHttpClient();
        PeerCatalogFetcher fetcher = (peer, offset, limit) -> http.sendAsync(
                        HttpRequest.newBuilder(URI.create(peer.dspEndpoint() + "/catalog?offset=" + offset)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() == 200 ? Result.success(response.body()) : Result.<String>failure("HTTP " + response.statusCode()));
        var dataset = CatalogDatasets.tdb2(directory);
        VocabularyGraph.install(dataset);
        var store = new PeerCatalogStore(dataset);
        var peers = new ArrayList<Peer>();
        for (int p = 0; p < peerCount; p++) {
            peers.add(new Peer("peer-" + p, URI.create("http://127.0.0.1:%d/peer-%d".formatted(server.getAddress().getPort(), p))));
        }
        var workers = Executors.newFixedThreadPool(4);
        var crawler = new FederatedCatalogCrawler(peers, fetcher, store,
                new CrawlerSettings(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofHours(1), datasetsPerPeer, 100_000), workers, Clock.systemUTC(), QUIET);
        var start = System.nanoTime();
        var outcomes = crawler.crawlDue().stream().map(CompletableFuture::join).toList();
        var crawlSeconds = (System.nanoTime() - start) / 1e9;
        var failed = outcomes.stream().filter(Result::failed).count();
        System.out.printf("crawl: %d peers x %d datasets (HTTP on 127.0.0.1, JSON-LD parse, one TDB2 transaction per peer, 4 threads) in %.1f s; %d failed; TDB2 on disk %d MB%n",
                peerCount, datasetsPerPeer, crawlSeconds, failed, size(directory) >> 20);
        workers.shutdownNow();
        server.stop(0);
        serverThreads.shutdownNow();

        var limits = new SparqlLimits(Duration.ofSeconds(30), 10_000);
        var sparql = new SparqlQueryService(dataset, limits);
        var search = new CatalogSearch(dataset, limits);
        var hourAgo = Instant.now().minus(Duration.ofHours(1));
        time("Q1 bilingual search 'machine operation' over every peer (concept labels, result limit 10,000)", runs,
                () -> search.find("machine operation", SearchScope.everything()).getContent().size());
        time("Q1b the same search, first 100 hits (an interactive page)", runs,
                () -> search.find("machine operation", SearchScope.everything(), 100).getContent().size());
        time("Q2 datasets per peer fetched within the last hour (GROUP BY over the graphs graph)", runs, () -> sparql.query("""
                PREFIX dcat: <http://www.w3.org/ns/dcat#>
                PREFIX kh: <https://w3id.org/kakehashi/ns#>
                PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
                SELECT ?peer (COUNT(?d) AS ?n) WHERE {
                  GRAPH <urn:kakehashi:catalog:graphs> { ?g kh:peerId ?peer ; kh:fetchedAt ?t FILTER(?t >= "%s"^^xsd:dateTime) }
                  GRAPH ?g { ?d a dcat:Dataset }
                } GROUP BY ?peer""".formatted(hourAgo)).getContent().rows());
        var onePeer = "urn:kakehashi:catalog:peer:peer-" + (peerCount / 2);
        time("Q3 one peer's datasets with keyword 'probe data', English titles, LIMIT 100", runs, () -> sparql.query("""
                PREFIX dcat: <http://www.w3.org/ns/dcat#>
                PREFIX dct: <http://purl.org/dc/terms/>
                SELECT ?d ?title WHERE {
                  GRAPH ?g { ?d dcat:keyword "probe data" ; dct:title ?title FILTER(lang(?title) = "en") }
                } LIMIT 100""", java.util.Map.of("g", org.apache.jena.rdf.model.ResourceFactory.createResource(onePeer))).getContent().rows());
        CatalogDatasets.release(dataset);
    }

    private static void time(String name, int runs, Supplier<Integer> query) {
        var rows = 0;
        for (int i = 0; i < 3; i++) {
            rows = query.get();
        }
        var millis = new ArrayList<Double>();
        for (int i = 0; i < runs; i++) {
            var start = System.nanoTime();
            query.get();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        millis.sort(Comparator.naturalOrder());
        System.out.printf("%s: %d rows; p50 %.1f ms, p95 %.1f ms (%d runs)%n", name, rows,
                millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1), runs);
    }

    /** A peer's catalog: a third machine-operation datasets titled in Japanese only, a third probe data, a third other. */
    private static String peerCatalog(int peer, int count) {
        var json = new StringBuilder("""
                {"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "dcat:theme": {"@type": "@id"}},
                 "@id": "urn:catalog:peer-%d", "@type": "dcat:Catalog", "dcat:dataset": [""".formatted(peer));
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            var kind = i % 3;
            var titles = switch (kind) {
                case 0 -> "[{\"@value\": \"工作機械稼働データ %d-%d\", \"@language\": \"ja\"}]".formatted(peer, i);
                case 1 -> "[{\"@value\": \"タクシープローブデータ %d-%d\", \"@language\": \"ja\"}, {\"@value\": \"Taxi probe data %d-%d\", \"@language\": \"en\"}]".formatted(peer, i, peer, i);
                default -> "[{\"@value\": \"検査記録 %d-%d\", \"@language\": \"ja\"}, {\"@value\": \"Inspection records %d-%d\", \"@language\": \"en\"}]".formatted(peer, i, peer, i);
            };
            var keyword = switch (kind) {
                case 0 -> "稼働データ";
                case 1 -> "probe data";
                default -> "inspection";
            };
            json.append("""
                    {"@id": "https://peer-%d.example/datasets/%d", "@type": "dcat:Dataset", "dct:title": %s, "dcat:keyword": ["%s"],
                     "dct:description": {"@value": "Generated dataset %d of peer %d", "@language": "en"}}""".formatted(peer, i, titles, keyword, i, peer));
        }
        return json.append("]}").toString();
    }

    private static long usedHeap() {
        System.gc();
        var runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long size(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
