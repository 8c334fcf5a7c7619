package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.CatalogSearch;
import io.kakehashi.catalog.core.CrawlerSettings;
import io.kakehashi.catalog.core.FederatedCatalogCrawler;
import io.kakehashi.catalog.core.Peer;
import io.kakehashi.catalog.core.PeerCatalogStore;
import io.kakehashi.catalog.core.SearchScope;
import io.kakehashi.catalog.core.SparqlLimits;
import io.kakehashi.catalog.core.VocabularyGraph;
import org.eclipse.edc.connector.controlplane.catalog.spi.CatalogRequestMessage;
import org.eclipse.edc.jsonld.TitaniumJsonLd;
import org.eclipse.edc.spi.message.RemoteMessageDispatcher;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.response.ResponseStatus;
import org.eclipse.edc.spi.response.StatusResult;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.message.RemoteMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.QUIET;
import static org.assertj.core.api.Assertions.assertThat;

class DspPeerCatalogFetcherTest {

    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    /** A DSP catalog answer as a peer would send it (inline context: the test runtime has no cached DSP context). */
    private static String catalog(String peer, String titleJa, String titleEn) {
        return """
                {
                  "@context": { "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                                "dcat:theme": { "@type": "@id" } },
                  "@id": "urn:catalog:%1$s",
                  "@type": "dcat:Catalog",
                  "dcat:dataset": [{
                    "@id": "urn:%1$s:machines",
                    "@type": "dcat:Dataset",
                    "dct:title": [{ "@value": "%2$s", "@language": "ja" }, { "@value": "%3$s", "@language": "en" }],
                    "dcat:theme": "https://w3id.org/kakehashi/vocab/theme/machine-operation"
                  }]
                }""".formatted(peer, titleJa, titleEn);
    }

    /** Answers each peer (by counter-party id) from a map; records every message. */
    private static final class FakeDispatcher implements RemoteMessageDispatcherRegistry {
        final List<CatalogRequestMessage> sent = new CopyOnWriteArrayList<>();
        final List<String> participantContexts = new CopyOnWriteArrayList<>();
        final Map<String, StatusResult<byte[]>> answers;

        FakeDispatcher(Map<String, StatusResult<byte[]>> answers) {
            this.answers = answers;
        }

        @Override
        public void register(String protocol, RemoteMessageDispatcher dispatcher) {
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<StatusResult<T>> dispatch(String participantContextId, Class<T> responseType, RemoteMessage message) {
            var request = (CatalogRequestMessage) message;
            sent.add(request);
            participantContexts.add(participantContextId);
            return CompletableFuture.completedFuture((StatusResult<T>) answers.get(request.getCounterPartyId()));
        }
    }

    private static StatusResult<byte[]> ok(String body) {
        return StatusResult.success(body.getBytes(StandardCharsets.UTF_8));
    }

    private DspPeerCatalogFetcher fetcher(FakeDispatcher dispatcher) {
        return new DspPeerCatalogFetcher(dispatcher, () -> Result.success("provider-context"), PROTOCOL, new TitaniumJsonLd(QUIET));
    }

    @Test
    void fetch_shouldSendACatalogRequestWithTheConnectorsIdentityAndThePage() {
        var dispatcher = new FakeDispatcher(Map.of("maker-a", ok(catalog("maker-a", "工作機械稼働データ", "Operation logs"))));

        var result = fetcher(dispatcher).fetch(new Peer("maker-a", URI.create("http://127.0.0.1:19194/protocol/2025-1")), 100, 50).join();

        assertThat(result.succeeded()).isTrue();
        var request = dispatcher.sent.get(0);
        assertThat(request.getProtocol()).isEqualTo(PROTOCOL);
        assertThat(request.getCounterPartyAddress()).isEqualTo("http://127.0.0.1:19194/protocol/2025-1");
        assertThat(request.getQuerySpec().getOffset()).isEqualTo(100);
        assertThat(request.getQuerySpec().getLimit()).isEqualTo(50);
        assertThat(dispatcher.participantContexts).containsExactly("provider-context");
        // expanded: full IRIs, no context left to fetch
        assertThat(result.getContent()).contains("http://www.w3.org/ns/dcat#Catalog").doesNotContain("@context");
    }

    @Test
    void fetch_whenThePeerCannotBeReached_shouldFailSayingSo() {
        var dispatcher = new FakeDispatcher(Map.of("down", StatusResult.failure(ResponseStatus.FATAL_ERROR, "Connection refused")));

        var result = fetcher(dispatcher).fetch(new Peer("down", URI.create("http://127.0.0.1:1/dsp")), 0, 10).join();

        assertThat(result.getFailureDetail()).contains("could not be reached").contains("Connection refused");
    }

    @Test
    void fetch_whenThePeerAnswersGarbage_shouldFail() {
        var dispatcher = new FakeDispatcher(Map.of("odd", ok("<html>oops</html>")));

        var result = fetcher(dispatcher).fetch(new Peer("odd", URI.create("http://127.0.0.1:1/dsp")), 0, 10).join();

        assertThat(result.getFailureDetail()).contains("not a JSON object");
    }

    @Test
    void fetch_whenThereIsNoParticipantContext_shouldFailWithoutSending() {
        var dispatcher = new FakeDispatcher(Map.of());
        var fetcher = new DspPeerCatalogFetcher(dispatcher, () -> Result.failure("no context"), PROTOCOL, new TitaniumJsonLd(QUIET));

        var result = fetcher.fetch(new Peer("a", URI.create("http://127.0.0.1:1/dsp")), 0, 10).join();

        assertThat(result.failed()).isTrue();
        assertThat(dispatcher.sent).isEmpty();
    }

    @Test
    void crawl_whenTwoPeersAnswer_shouldLetAnEnglishSearchFindJapaneseTitlesAtBoth() {
        var dispatcher = new FakeDispatcher(Map.of(
                "maker-a", ok(catalog("maker-a", "工作機械稼働データ（名古屋工場）", "Nagoya plant logs")),
                "maker-b", ok(catalog("maker-b", "工作機械稼働データ（浜松工場）", "Hamamatsu plant logs")),
                "down", StatusResult.failure(ResponseStatus.FATAL_ERROR, "Connection refused")));
        var dataset = CatalogDatasets.inMemory();
        VocabularyGraph.install(dataset);
        var store = new PeerCatalogStore(dataset);
        var peers = List.of(new Peer("maker-a", URI.create("http://127.0.0.1:19194/dsp")), new Peer("maker-b", URI.create("http://127.0.0.1:19294/dsp")),
                new Peer("down", URI.create("http://127.0.0.1:1/dsp")));
        var crawler = new FederatedCatalogCrawler(peers, fetcher(dispatcher), store,
                new CrawlerSettings(Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofHours(1), 100, 1000), executor, Clock.systemUTC(), QUIET);

        crawler.crawlDue().forEach(f -> f.orTimeout(10, TimeUnit.SECONDS).join());

        var hits = new CatalogSearch(dataset, new SparqlLimits(Duration.ofSeconds(10), 100))
                .find("machine operation", SearchScope.peers(Set.of(), Instant.EPOCH)).getContent();
        assertThat(hits).extracting(h -> h.peerId().orElseThrow()).containsExactlyInAnyOrder("maker-a", "maker-b");
        assertThat(hits).extracting(h -> h.titles().get("ja")).allSatisfy(t -> assertThat(t).startsWith("工作機械稼働データ"));
        assertThat(store.status("down").orElseThrow().lastError()).hasValueSatisfying(e -> assertThat(e).contains("Connection refused"));
    }
}
