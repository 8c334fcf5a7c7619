package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.DataProfiles;
import io.kakehashi.catalog.profiles.MetadataFormat;
import io.kakehashi.catalog.profiles.MetadataParser;
import org.apache.jena.query.Dataset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static io.kakehashi.catalog.core.CatalogTestFixtures.dataset;
import static io.kakehashi.catalog.core.CatalogTestFixtures.example;
import static io.kakehashi.catalog.core.CatalogTestFixtures.japaneseOnlyDataset;
import static io.kakehashi.catalog.core.CatalogTestFixtures.peer;
import static io.kakehashi.catalog.core.CatalogTestFixtures.peerCatalog;
import static org.assertj.core.api.Assertions.assertThat;

class CatalogSearchTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    private Dataset dataset;
    private DcatCatalogStore store;
    private PeerCatalogStore peers;
    private CatalogSearch search;

    @BeforeEach
    void setUp() {
        dataset = CatalogDatasets.inMemory();
        VocabularyGraph.install(dataset);
        store = new DcatCatalogStore(dataset, DataProfiles.shipped(), Clock.systemUTC());
        peers = new PeerCatalogStore(dataset);
        search = new CatalogSearch(dataset, new SparqlLimits(Duration.ofSeconds(10), 100));
    }

    private void peerAnswers(String peerId, String catalogJson, Instant fetchedAt) {
        var model = new MetadataParser().parse(catalogJson, MetadataFormat.JSON_LD).orElseThrow(f -> new AssertionError(f.getFailureDetail()));
        peers.replace(peer(peerId), model, fetchedAt);
    }

    @Nested
    class Bilingual {
        @Test
        void find_whenEnglishTextNamesAConcept_shouldFindADatasetTitledOnlyInJapanese() {
            store.put("machines", japaneseOnlyDataset("https://data.example.jp/d/machines", "工作機械稼働データ"));
            store.put("other", japaneseOnlyDataset("https://data.example.jp/d/other", "腐食記録"));

            var hits = search.find("machine operation", SearchScope.everything()).getContent();

            assertThat(hits).singleElement().satisfies(hit -> {
                assertThat(hit.assetId()).contains("machines");
                assertThat(hit.titles()).containsEntry("ja", "工作機械稼働データ");
            });
        }

        @Test
        void find_whenJapaneseTextNamesAConcept_shouldFindADatasetByItsTheme() {
            store.put("manufacturing", example("manufacturing"));

            var hits = search.find("工作機械", SearchScope.everything()).getContent();

            assertThat(hits).singleElement().satisfies(hit -> assertThat(hit.titles()).containsEntry("en", "Machine tool operation data"));
        }

        @Test
        void find_whenTextIsFullWidthOrUpperCase_shouldStillMatch() {
            store.put("machines", japaneseOnlyDataset("https://data.example.jp/d/machines", "工作機械稼働データ"));

            assertThat(search.find("ＭＡＣＨＩＮＥ Operation", SearchScope.everything()).getContent()).hasSize(1);
        }

        @Test
        void find_whenTextMatchesNoLabelAndNoTitle_shouldFindNothing() {
            store.put("machines", japaneseOnlyDataset("https://data.example.jp/d/machines", "工作機械稼働データ"));

            assertThat(search.find("seaweed", SearchScope.everything()).getContent()).isEmpty();
        }

        @Test
        void find_whenTextIsBlank_shouldFail() {
            assertThat(search.find(" ", SearchScope.everything()).failed()).isTrue();
        }

        @Test
        void find_whenTextLooksLikeSparql_shouldTreatItAsText() {
            store.put("machines", japaneseOnlyDataset("https://data.example.jp/d/machines", "工作機械稼働データ"));

            var result = search.find("\") || true || (\"", SearchScope.everything());

            assertThat(result.succeeded()).isTrue();
            assertThat(result.getContent()).isEmpty();
        }
    }

    @Nested
    class Scope {
        @BeforeEach
        void twoPeersAndOwn() {
            store.put("own", dataset("https://data.example.jp/d/own", "Probe data of our taxis", "自社タクシーのプローブデータ"));
            peerAnswers("tokyo-taxi", peerCatalog("tokyo-taxi", "Tokyo taxi probe data"), T0);
            peerAnswers("osaka-taxi", peerCatalog("osaka-taxi", "Osaka taxi probe data"), T0.plus(Duration.ofHours(2)));
        }

        @Test
        void find_whenScopeIsEverything_shouldFindOwnAndEveryPeer() {
            var hits = search.find("probe data", SearchScope.everything()).getContent();

            assertThat(hits).extracting(h -> h.peerId().orElse("own")).containsExactlyInAnyOrder("own", "tokyo-taxi", "osaka-taxi");
            assertThat(hits).filteredOn(h -> h.peerId().isPresent()).allSatisfy(h -> assertThat(h.fetchedAt()).isPresent());
        }

        @Test
        void find_whenScopeNamesOnePeer_shouldFindOnlyThatPeersDatasets() {
            var hits = search.find("probe data", SearchScope.peers(Set.of("osaka-taxi"), Instant.EPOCH)).getContent();

            assertThat(hits).extracting(h -> h.peerId().orElseThrow()).containsExactly("osaka-taxi");
        }

        @Test
        void find_whenScopeNamesTwoPeersAndOwn_shouldFindAllThree() {
            var hits = search.find("probe data", new SearchScope(true, Set.of("osaka-taxi", "tokyo-taxi"), Instant.EPOCH)).getContent();

            assertThat(hits).hasSize(3);
        }

        @Test
        void find_whenFreshnessIsRequired_shouldLeaveOutOlderCopies() {
            var hits = search.find("probe data", SearchScope.peers(Set.of(), T0.plus(Duration.ofHours(1)))).getContent();

            assertThat(hits).extracting(h -> h.peerId().orElseThrow()).containsExactly("osaka-taxi");
        }

        @Test
        void find_whenOwnCatalogIsExcluded_shouldFindOnlyPeers() {
            var hits = search.find("probe data", SearchScope.peers(Set.of(), Instant.EPOCH)).getContent();

            assertThat(hits).allSatisfy(h -> assertThat(h.assetId()).isEmpty()).hasSize(2);
        }

        @Test
        void find_whenFewerHitsAreAskedFor_shouldCountOnlyDatasetsInScope() {
            var hits = search.find("probe data", SearchScope.peers(Set.of("osaka-taxi"), Instant.EPOCH), 1).getContent();

            assertThat(hits).extracting(h -> h.peerId().orElseThrow()).containsExactly("osaka-taxi");
        }

        @Test
        void find_whenNoHitIsAskedFor_shouldFail() {
            assertThat(search.find("probe data", SearchScope.everything(), 0).failed()).isTrue();
        }

        @Test
        void find_whenMoreHitsThanTheLimit_shouldReturnTheLimit() {
            var small = new CatalogSearch(dataset, new SparqlLimits(Duration.ofSeconds(10), 2));

            assertThat(small.find("probe data", SearchScope.everything()).getContent()).hasSize(2);
        }
    }
}
