package io.kakehashi.catalog.core;

import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.kakehashi.catalog.core.CatalogTestFixtures.peer;
import static io.kakehashi.catalog.core.CatalogTestFixtures.peerCatalog;
import static org.assertj.core.api.Assertions.assertThat;

class FederatedCatalogCrawlerTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final CrawlerSettings SETTINGS = new CrawlerSettings(Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofHours(2), 50, 1000);

    private final CatalogTestFixtures.MutableClock clock = new CatalogTestFixtures.MutableClock(T0);
    private final CatalogTestFixtures.RecordingMonitor monitor = new CatalogTestFixtures.RecordingMonitor();
    private final FakeFetcher fetcher = new FakeFetcher();
    private ExecutorService executor;
    private PeerCatalogStore store;

    @BeforeEach
    void setUp() {
        executor = Executors.newFixedThreadPool(4);
        store = new PeerCatalogStore(CatalogDatasets.inMemory());
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    private FederatedCatalogCrawler crawler(String... peerIds) {
        return new FederatedCatalogCrawler(List.of(peerIds).stream().map(CatalogTestFixtures::peer).toList(), fetcher, store, SETTINGS, executor, clock, monitor);
    }

    private static List<Result<Long>> join(List<CompletableFuture<Result<Long>>> futures) {
        return futures.stream().map(f -> f.orTimeout(10, TimeUnit.SECONDS).join()).toList();
    }

    /** Answers per peer: a function of the page offset. */
    private static final class FakeFetcher implements PeerCatalogFetcher {
        final Map<String, java.util.function.IntFunction<CompletableFuture<Result<String>>>> answers = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();

        void answer(String peerId, String json) {
            answers.put(peerId, offset -> CompletableFuture.completedFuture(Result.success(json)));
        }

        void fail(String peerId, String message) {
            answers.put(peerId, offset -> CompletableFuture.completedFuture(Result.failure(message)));
        }

        @Override
        public CompletableFuture<Result<String>> fetch(Peer peer, int offset, int limit) {
            calls.incrementAndGet();
            return answers.get(peer.id()).apply(offset);
        }
    }

    @Nested
    class GoodAnswers {
        @Test
        void crawlDue_whenPeerAnswersACatalog_shouldStoreItWithTheFetchTime() {
            fetcher.answer("tokyo", peerCatalog("tokyo", "Tokyo taxi probe data"));
            var crawler = crawler("tokyo");

            var results = join(crawler.crawlDue());

            assertThat(results).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
            var status = store.status("tokyo").orElseThrow();
            assertThat(status.fetchedAt()).contains(T0);
            assertThat(status.lastError()).isEmpty();
            assertThat(status.graphIri()).isEqualTo("urn:kakehashi:catalog:peer:tokyo");
            assertThat(store.size("tokyo")).isPositive();
            assertThat(crawler.nextDue("tokyo")).isEqualTo(T0.plus(SETTINGS.interval()));
        }

        @Test
        void crawlDue_whenPeerIsNotDueYet_shouldNotAskIt() {
            fetcher.answer("tokyo", peerCatalog("tokyo", "Tokyo taxi probe data"));
            var crawler = crawler("tokyo");
            join(crawler.crawlDue());

            clock.advance(Duration.ofMinutes(5));
            assertThat(crawler.crawlDue()).isEmpty();

            clock.advance(Duration.ofMinutes(5));
            assertThat(join(crawler.crawlDue())).hasSize(1);
            assertThat(fetcher.calls).hasValue(2);
        }

        @Test
        void crawlDue_whenAPageIsFull_shouldAskForTheNextAndMergeThem() {
            var first = IntStream.range(0, 50).mapToObj(i -> "first page " + i).toList();
            var second = List.of("second page 0", "second page 1");
            var offsets = new java.util.concurrent.CopyOnWriteArrayList<Integer>();
            fetcher.answers.put("big", offset -> {
                offsets.add(offset);
                return CompletableFuture.completedFuture(Result.success(peerCatalog("big-" + offset, offset == 0 ? first : second)));
            });

            join(crawler("big").crawlDue());

            assertThat(offsets).containsExactly(0, 50);
            var model = store.size("big");
            assertThat(model).isGreaterThan(52 * 2);
        }

        @Test
        void crawlDue_whenAPeerAnswersAgain_shouldReplaceNotAccumulate() {
            fetcher.answer("tokyo", peerCatalog("tokyo", "one", "two", "three"));
            var crawler = crawler("tokyo");
            join(crawler.crawlDue());
            var firstSize = store.size("tokyo");

            fetcher.answer("tokyo", peerCatalog("tokyo", "one"));
            clock.advance(SETTINGS.interval());
            join(crawler.crawlDue());

            assertThat(store.size("tokyo")).isLessThan(firstSize);
            assertThat(store.status("tokyo").orElseThrow().fetchedAt()).contains(T0.plus(SETTINGS.interval()));
        }
    }

    @Nested
    class EdcAnswers {
        /** What an EDC provider's DSP catalog looks like once expanded: relative dataset ids, base64 offer ids, kh:dcat strings. */
        private String expandedEdcCatalog(String embeddedMetadata) {
            var metadata = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(embeddedMetadata).toString();
            return """
                    [{
                      "@id": "urn:connector:maker-a",
                      "@type": ["http://www.w3.org/ns/dcat#Catalog"],
                      "http://www.w3.org/ns/dcat#dataset": [{
                        "@id": "machines-2025",
                        "@type": ["http://www.w3.org/ns/dcat#Dataset"],
                        "https://w3id.org/kakehashi/ns#dcat": [{ "@value": %s }],
                        "http://www.w3.org/ns/odrl/2/hasPolicy": [{
                          "@id": "Y29udHJhY3Q=:bWFjaGluZXMtMjAyNQ==:NjQ5",
                          "@type": ["http://www.w3.org/ns/odrl/2/Offer"],
                          "http://www.w3.org/ns/odrl/2/permission": [{ "http://www.w3.org/ns/odrl/2/action": [{ "@id": "http://www.w3.org/ns/odrl/2/use" }] }]
                        }]
                      }]
                    }]""".formatted(metadata);
        }

        @Test
        void crawlDue_whenDatasetsCarryDcatMetadata_shouldLiftItOntoTheDspDatasetForSearch() {
            fetcher.answer("maker-a", expandedEdcCatalog(CatalogTestFixtures.japaneseOnlyDataset("https://data.example.jp/d/machines", "工作機械稼働データ")));
            var dataset = CatalogDatasets.inMemory();
            VocabularyGraph.install(dataset);
            var peers = new PeerCatalogStore(dataset);
            var crawler = new FederatedCatalogCrawler(List.of(peer("maker-a")), fetcher, peers, SETTINGS, executor, clock, monitor);

            assertThat(join(crawler.crawlDue()).get(0).succeeded()).isTrue();

            var hits = new CatalogSearch(dataset, new SparqlLimits(Duration.ofSeconds(10), 10))
                    .find("machine operation", SearchScope.everything()).getContent();
            assertThat(hits).singleElement().satisfies(hit -> {
                assertThat(hit.peerId()).contains("maker-a");
                assertThat(hit.datasetIri()).isEqualTo("http://127.0.0.1:1/maker-a/dsp/catalog/datasets/machines-2025");
                assertThat(hit.titles()).containsEntry("ja", "工作機械稼働データ");
            });
            var ask = new SparqlQueryService(dataset, new SparqlLimits(Duration.ofSeconds(10), 10)).query("""
                    PREFIX dct: <http://purl.org/dc/terms/>
                    ASK { GRAPH <urn:kakehashi:catalog:peer:maker-a> {
                      ?d dct:identifier "machines-2025" ; dct:source <https://data.example.jp/d/machines> .
                      FILTER NOT EXISTS { ?d <https://w3id.org/kakehashi/ns#dcat> ?string }
                      FILTER NOT EXISTS { <http://127.0.0.1:1/maker-a/dsp/catalog/datasets/> ?p ?o }
                    } }""");
            assertThat(ask.getContent().json()).contains("true");
        }

        @Test
        void crawlDue_whenEmbeddedMetadataIsUnreadable_shouldKeepTheDatasetAndWarn() {
            fetcher.answer("maker-a", expandedEdcCatalog("{ not json"));

            assertThat(join(crawler("maker-a").crawlDue()).get(0).succeeded()).isTrue();

            assertThat(store.size("maker-a")).isPositive();
            assertThat(monitor.warnings).anySatisfy(w -> assertThat(w).contains("maker-a").contains("1 dataset(s) could not be read"));
        }
    }

    @Nested
    class Failures {
        @Test
        void crawlDue_whenPeerAnswersGarbage_shouldKeepTheLastGoodCopyAndLogIt() {
            fetcher.answer("tokyo", peerCatalog("tokyo", "Tokyo taxi probe data"));
            var crawler = crawler("tokyo");
            join(crawler.crawlDue());
            var goodSize = store.size("tokyo");

            fetcher.answer("tokyo", "<html>502 Bad Gateway</html>");
            clock.advance(SETTINGS.interval());
            var results = join(crawler.crawlDue());

            assertThat(results.get(0).getFailureDetail()).contains("not a catalog");
            var status = store.status("tokyo").orElseThrow();
            assertThat(status.fetchedAt()).contains(T0);
            assertThat(status.lastAttemptAt()).contains(T0.plus(SETTINGS.interval()));
            assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("not a catalog"));
            assertThat(store.size("tokyo")).isEqualTo(goodSize);
            assertThat(monitor.warnings).anySatisfy(w -> assertThat(w).contains("tokyo").contains("last good copy is kept"));
        }

        @Test
        void crawlDue_whenAnswerIsJsonLdWithoutACatalog_shouldBeAFailure() {
            fetcher.answer("tokyo", "{\"@id\": \"urn:x\", \"http://purl.org/dc/terms/title\": \"no catalog\"}");

            var results = join(crawler("tokyo").crawlDue());

            assertThat(results.get(0).getFailureDetail()).contains("holds no dcat:Catalog");
            assertThat(store.size("tokyo")).isZero();
        }

        @Test
        void crawlDue_whenPeerIsDown_shouldBackOffDoublingUpToTheMaximum() {
            fetcher.fail("tokyo", "connection refused");
            var crawler = crawler("tokyo");

            join(crawler.crawlDue());
            assertThat(crawler.failures("tokyo")).isEqualTo(1);
            assertThat(crawler.nextDue("tokyo")).isEqualTo(T0.plus(Duration.ofMinutes(20)));

            clock.advance(Duration.ofMinutes(20));
            join(crawler.crawlDue());
            assertThat(crawler.nextDue("tokyo")).isEqualTo(T0.plus(Duration.ofMinutes(20 + 40)));

            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofHours(3));
                join(crawler.crawlDue());
            }
            assertThat(Duration.between(clock.instant(), crawler.nextDue("tokyo"))).isEqualTo(SETTINGS.maxBackoff());
        }

        @Test
        void crawlDue_whenPeerRecovers_shouldResetTheBackoff() {
            fetcher.fail("tokyo", "connection refused");
            var crawler = crawler("tokyo");
            join(crawler.crawlDue());

            fetcher.answer("tokyo", peerCatalog("tokyo", "back"));
            clock.advance(Duration.ofMinutes(20));
            join(crawler.crawlDue());

            assertThat(crawler.failures("tokyo")).isZero();
            assertThat(store.status("tokyo").orElseThrow().lastError()).isEmpty();
        }

        @Test
        void crawlDue_whenOnePeerHangs_shouldStoreTheOthersAndTimeTheHangingOneOut() {
            fetcher.answers.put("hanging", offset -> new CompletableFuture<>());
            fetcher.answer("osaka", peerCatalog("osaka", "Osaka taxi probe data"));
            // long enough for osaka's answer to be parsed on a busy machine, short enough for a quick test
            var crawler = new FederatedCatalogCrawler(List.of(peer("hanging"), peer("osaka")), fetcher, store,
                    new CrawlerSettings(Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofHours(2), 50, 1000), executor, clock, monitor);

            var futures = crawler.crawlDue();

            // osaka's copy arrives while the hanging peer has not answered
            assertThat(futures.get(1).orTimeout(10, TimeUnit.SECONDS).join().succeeded()).isTrue();
            assertThat(store.status("osaka").orElseThrow().fetchedAt()).isPresent();
            var hanging = futures.get(0).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(hanging.getFailureDetail()).contains("no complete answer within 2000 ms");
            assertThat(store.status("hanging").orElseThrow().lastError()).isPresent();
        }

        @Test
        void crawlDue_whenAFetchIsStillRunning_shouldNotStartASecond() {
            var pending = new CompletableFuture<Result<String>>();
            fetcher.answers.put("slow", offset -> pending);
            var crawler = crawler("slow");

            var first = crawler.crawlDue();
            clock.advance(Duration.ofHours(1));

            assertThat(crawler.crawlDue()).isEmpty();
            pending.complete(Result.success(peerCatalog("slow", "finally")));
            assertThat(join(first).get(0).succeeded()).isTrue();
        }

        @Test
        void crawlDue_whenTheFetcherThrows_shouldRecordAFailure() {
            fetcher.answers.put("broken", offset -> {
                throw new IllegalStateException("no dispatcher for protocol");
            });

            var results = join(crawler("broken").crawlDue());

            assertThat(results.get(0).getFailureDetail()).contains("could not be sent").contains("no dispatcher");
        }
    }

    @Nested
    class Configuration {
        @Test
        void constructor_whenAPeerIsConfiguredTwice_shouldRefuse() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> crawler("tokyo", "tokyo"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokyo");
        }

        @Test
        void settings_whenPageSizeExceedsMaximum_shouldRefuse() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CrawlerSettings(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofHours(1), 100, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page size");
        }
    }
}
