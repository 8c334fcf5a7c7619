package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.DataProfiles;
import io.kakehashi.catalog.profiles.MetadataFormat;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.sparql.core.DatasetGraphReadOnly;
import org.apache.jena.system.Txn;
import org.apache.jena.vocabulary.DCTerms;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.kakehashi.catalog.core.CatalogTestFixtures.MANUFACTURING_DATASET;
import static io.kakehashi.catalog.core.CatalogTestFixtures.MANUFACTURING_PROFILE;
import static io.kakehashi.catalog.core.CatalogTestFixtures.example;
import static io.kakehashi.catalog.core.CatalogTestFixtures.japaneseOnlyDataset;
import static io.kakehashi.catalog.core.CatalogTestFixtures.manufacturingWithoutEnglishTitle;
import static org.assertj.core.api.Assertions.assertThat;

class DcatCatalogStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC);

    private Dataset dataset;
    private DcatCatalogStore store;

    @BeforeEach
    void setUp() {
        dataset = CatalogDatasets.inMemory();
        store = new DcatCatalogStore(dataset, DataProfiles.shipped(), CLOCK);
    }

    private long quadCount() {
        return Txn.calculateRead(dataset, () -> {
            long[] n = {0};
            dataset.asDatasetGraph().find().forEachRemaining(q -> n[0]++);
            return n[0];
        });
    }

    @Nested
    class Put {
        @Test
        void put_whenMetadataConformsToItsProfile_shouldStoreItInTheAssetsGraph() {
            var result = store.put("asset-1", example("manufacturing"));

            assertThat(result.succeeded()).as(result.getFailureMessages().toString()).isTrue();
            var stored = result.getContent();
            assertThat(stored.graphIri()).isEqualTo("urn:kakehashi:catalog:asset:asset-1");
            assertThat(stored.datasetIri()).isEqualTo(MANUFACTURING_DATASET);
            assertThat(stored.profileIris()).containsExactly(MANUFACTURING_PROFILE);
            var model = store.metadata("asset-1").orElseThrow();
            assertThat(model.size()).isEqualTo(stored.tripleCount());
            assertThat(model.getResource(MANUFACTURING_DATASET).hasProperty(DCTerms.conformsTo, model.getResource(MANUFACTURING_PROFILE))).isTrue();
            assertThat(store.assetIds()).containsExactly("asset-1");
        }

        @Test
        void put_whenEverySectorExampleIsGiven_shouldStoreEach() {
            for (var sector : new String[]{"mobility", "manufacturing", "plant-safety", "smart-life", "bio-materials"}) {
                assertThat(store.put(sector, example(sector)).succeeded()).as(sector).isTrue();
            }

            assertThat(store.assetIds()).hasSize(5);
        }

        @Test
        void put_whenMetadataClaimsNoProfile_shouldStoreItUnvalidated() {
            var result = store.put("plain", japaneseOnlyDataset("https://data.example.jp/d/1", "工作機械稼働データ"));

            assertThat(result.succeeded()).isTrue();
            assertThat(result.getContent().profileIris()).isEmpty();
        }

        @Test
        void put_whenAssetIsUpdated_shouldReplaceItsGraphEntirely() {
            store.put("asset-1", example("manufacturing"));

            var result = store.put("asset-1", japaneseOnlyDataset("https://data.example.jp/d/2", "別のデータ"));

            assertThat(result.succeeded()).isTrue();
            var model = store.metadata("asset-1").orElseThrow();
            assertThat(model.containsResource(model.getResource(MANUFACTURING_DATASET))).isFalse();
            assertThat(model.size()).isEqualTo(result.getContent().tripleCount());
        }

        @Test
        void put_whenAssetIdNeedsEncoding_shouldUseADistinctValidGraphName() {
            var result = store.put("a b/c?d", japaneseOnlyDataset("https://data.example.jp/d/1", "データ"));

            assertThat(result.getContent().graphIri()).isEqualTo("urn:kakehashi:catalog:asset:a%20b%2Fc%3Fd");
            assertThat(store.assetIds()).containsExactly("a b/c?d");
        }

        @Test
        void put_whenTurtleIsGiven_shouldStoreIt() {
            var turtle = """
                    @prefix dcat: <http://www.w3.org/ns/dcat#> .
                    @prefix dct: <http://purl.org/dc/terms/> .
                    <https://data.example.jp/d/ttl> a dcat:Dataset ; dct:title "Turtle"@en .
                    """;

            assertThat(store.put("ttl", turtle, MetadataFormat.TURTLE).succeeded()).isTrue();
        }
    }

    @Nested
    class BadInput {
        @Test
        void put_whenMetadataViolatesItsProfile_shouldFailWithTheReportAndStoreNothing() {
            var result = store.put("asset-1", manufacturingWithoutEnglishTitle());

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).anySatisfy(m -> assertThat(m).contains("dct:title").contains("English (@en)"));
            assertThat(quadCount()).isZero();
        }

        @Test
        void put_whenAnUpdateViolatesItsProfile_shouldKeepThePreviousMetadataUntouched() {
            store.put("asset-1", example("manufacturing"));
            var before = store.metadata("asset-1").orElseThrow();

            var result = store.put("asset-1", manufacturingWithoutEnglishTitle());

            assertThat(result.failed()).isTrue();
            assertThat(store.metadata("asset-1").orElseThrow().isIsomorphicWith(before)).isTrue();
        }

        @Test
        void put_whenProfileIsUnknown_shouldFailNamingItAndStoreNothing() {
            var text = example("manufacturing").replace(MANUFACTURING_PROFILE, "https://w3id.org/kakehashi/profiles/manufacturing/machine-operation/v9");

            var result = store.put("asset-1", text);

            assertThat(result.getFailureDetail()).contains("unknown data profile").contains("machine-operation/v9");
            assertThat(quadCount()).isZero();
        }

        @Test
        void put_whenJsonLdIsMalformed_shouldFailAndStoreNothing() {
            var result = store.put("asset-1", example("manufacturing").substring(0, 200));

            assertThat(result.getFailureDetail()).startsWith("malformed JSON-LD metadata");
            assertThat(quadCount()).isZero();
        }

        @Test
        void put_whenMetadataDescribesTwoDatasets_shouldFail() {
            var two = "[" + japaneseOnlyDataset("https://data.example.jp/d/1", "一") + ","
                    + japaneseOnlyDataset("https://data.example.jp/d/2", "二") + "]";

            var result = store.put("asset-1", two);

            assertThat(result.getFailureDetail()).contains("exactly one dcat:Dataset").contains("found 2");
            assertThat(quadCount()).isZero();
        }

        @Test
        void put_whenMetadataDescribesNoDataset_shouldFail() {
            var result = store.put("asset-1", "{\"@id\": \"https://x.example/a\", \"http://purl.org/dc/terms/title\": \"x\"}");

            assertThat(result.getFailureDetail()).contains("found 0");
        }

        @Test
        void put_whenAssetIdIsBlank_shouldFail() {
            assertThat(store.put(" ", example("manufacturing")).getFailureDetail()).contains("asset id");
        }

        @Test
        void put_whenMetadataIsEmpty_shouldFail() {
            assertThat(store.put("asset-1", "").getFailureDetail()).isEqualTo("metadata is empty");
        }
    }

    @Nested
    class Bulk {
        @Test
        void putAll_whenEveryAssetIsValid_shouldStoreAll() {
            var result = store.putAll(java.util.Map.of(
                    "a", japaneseOnlyDataset("https://data.example.jp/d/a", "一"),
                    "b", example("manufacturing")));

            assertThat(result.getContent()).hasSize(2);
            assertThat(store.assetIds()).containsExactly("a", "b");
        }

        @Test
        void putAll_whenOneAssetIsInvalid_shouldStoreNoneAndNameTheAsset() {
            var result = store.putAll(java.util.Map.of(
                    "good", example("manufacturing"),
                    "bad", manufacturingWithoutEnglishTitle()));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).allSatisfy(m -> assertThat(m).startsWith("bad: "));
            assertThat(quadCount()).isZero();
        }
    }

    @Nested
    class Remove {
        @Test
        void remove_whenAssetHasMetadata_shouldDeleteGraphAndDescription() {
            store.put("asset-1", example("manufacturing"));

            assertThat(store.remove("asset-1")).isTrue();

            assertThat(store.metadata("asset-1")).isEmpty();
            assertThat(store.assetIds()).isEmpty();
            assertThat(quadCount()).isZero();
        }

        @Test
        void remove_whenAssetIsUnknown_shouldAnswerFalse() {
            assertThat(store.remove("nope")).isFalse();
        }

        @Test
        void remove_whenAssetIsUnknown_shouldNotWrite() {
            // a read-only view refuses any change, so a remove that tried to write would throw
            var readOnly = new DcatCatalogStore(DatasetFactory.wrap(new DatasetGraphReadOnly(dataset.asDatasetGraph())),
                    DataProfiles.shipped(), CLOCK);

            assertThat(readOnly.remove("nope")).isFalse();
        }
    }

    @Nested
    class Persistence {
        @Test
        void tdb2_whenReopenedAfterRelease_shouldStillHoldTheMetadata(@TempDir Path directory) {
            var first = CatalogDatasets.tdb2(directory.resolve("catalog"));
            new DcatCatalogStore(first, DataProfiles.shipped(), CLOCK).put("asset-1", example("manufacturing")).orElseThrow(f -> new AssertionError(f.getFailureDetail()));
            CatalogDatasets.release(first);

            var reopened = CatalogDatasets.tdb2(directory.resolve("catalog"));
            try {
                var again = new DcatCatalogStore(reopened, DataProfiles.shipped(), CLOCK);
                assertThat(again.assetIds()).containsExactly("asset-1");
                assertThat(again.metadata("asset-1").orElseThrow().containsResource(
                        org.apache.jena.rdf.model.ResourceFactory.createResource(MANUFACTURING_DATASET))).isTrue();
            } finally {
                CatalogDatasets.release(reopened);
            }
        }

        @Test
        void compact_whenManyTransactionsHaveGrownTheDatabase_shouldShrinkItAndKeepTheData(@TempDir Path directory) throws Exception {
            var tdb = CatalogDatasets.tdb2(directory);
            try {
                var onDisk = new DcatCatalogStore(tdb, DataProfiles.shipped(), CLOCK);
                for (int i = 0; i < 20; i++) {
                    onDisk.put("asset-1", japaneseOnlyDataset("https://data.example.jp/d/" + i, "版 " + i));
                }
                var before = size(directory);

                CatalogDatasets.compact(tdb);

                assertThat(size(directory)).isLessThan(before);
                assertThat(onDisk.metadata("asset-1").orElseThrow().contains(null, DCTerms.title, "版 19", "ja")).isTrue();
            } finally {
                CatalogDatasets.release(tdb);
            }
        }

        @Test
        void compact_whenInMemory_shouldDoNothing() {
            store.put("asset-1", example("manufacturing"));

            CatalogDatasets.compact(dataset);

            assertThat(store.assetIds()).containsExactly("asset-1");
        }

        private static long size(Path directory) throws java.io.IOException {
            try (var files = java.nio.file.Files.walk(directory)) {
                return files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
        }

        @Test
        void tdb2_whenAPutFails_shouldLeaveTheDiskCopyUnchanged(@TempDir Path directory) {
            var tdb = CatalogDatasets.tdb2(directory);
            try {
                var onDisk = new DcatCatalogStore(tdb, DataProfiles.shipped(), CLOCK);
                onDisk.put("asset-1", example("manufacturing"));

                assertThat(onDisk.put("asset-1", manufacturingWithoutEnglishTitle()).failed()).isTrue();

                assertThat(onDisk.metadata("asset-1").orElseThrow().contains(null, DCTerms.title, "Machine tool operation data", "en")).isTrue();
            } finally {
                CatalogDatasets.release(tdb);
            }
        }
    }
}
