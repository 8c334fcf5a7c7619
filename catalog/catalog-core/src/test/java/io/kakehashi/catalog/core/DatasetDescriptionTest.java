package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.DataProfiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static io.kakehashi.catalog.core.CatalogTestFixtures.example;
import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class DatasetDescriptionTest {

    private static final String DCT = "http://purl.org/dc/terms/";
    private static final String DCAT = "http://www.w3.org/ns/dcat#";
    private DcatCatalogStore store;

    @BeforeEach
    void setUp() {
        store = new DcatCatalogStore(CatalogDatasets.inMemory(), DataProfiles.shipped(), Clock.systemUTC());
    }

    @Test
    void datasetDescription_whenManufacturing_shouldGiveLanguageTaggedTitlesTypedNumbersAndReferences() {
        store.put("m", example("manufacturing"));

        var description = store.datasetDescription("m").orElseThrow();

        assertThat((List<Object>) description.get(DCT + "title")).containsExactlyInAnyOrder(
                Map.of("@value", "工作機械稼働データ", "@language", "ja"),
                Map.of("@value", "Machine tool operation data", "@language", "en"));
        assertThat((List<Object>) description.get("https://w3id.org/kakehashi/ns#machineCount"))
                .containsExactly(Map.of("@value", "12", "@type", "http://www.w3.org/2001/XMLSchema#integer"));
        assertThat((List<Object>) description.get(DCT + "conformsTo"))
                .containsExactly(Map.of("@id", "https://w3id.org/kakehashi/profiles/manufacturing/machine-operation/v1"));
        assertThat((List<Object>) description.get(DCAT + "keyword")).hasSize(3);
        assertThat(description).doesNotContainKeys(DCAT + "distribution", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    }

    @Test
    void datasetDescription_whenAPropertyIsABlankNode_shouldEmbedItWithItsType() {
        store.put("mobility", example("mobility"));

        var temporal = (List<?>) store.datasetDescription("mobility").orElseThrow().get(DCT + "temporal");

        assertThat(temporal).singleElement().satisfies(node -> {
            var period = (Map<?, ?>) node;
            assertThat(period.get("@type")).isEqualTo(List.of(DCT + "PeriodOfTime"));
            assertThat((List<Object>) period.get(DCAT + "startDate")).containsExactly(Map.of("@value", "2025-01-01", "@type", "http://www.w3.org/2001/XMLSchema#date"));
        });
    }

    @Test
    void datasetDescription_whenAssetHasNoMetadata_shouldBeEmpty() {
        assertThat(store.datasetDescription("none")).isEmpty();
    }
}
