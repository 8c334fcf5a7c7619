package io.kakehashi.catalog.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.CatalogSearch;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.catalog.core.SearchScope;
import io.kakehashi.catalog.core.SparqlLimits;
import io.kakehashi.catalog.core.SparqlQueryService;
import io.kakehashi.catalog.core.VocabularyGraph;
import io.kakehashi.catalog.profiles.DataProfiles;
import org.apache.jena.query.Dataset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SPARQL queries and search texts a caller sends, as the catalog reads them ({@link SparqlQueryService},
 * {@link CatalogSearch}) over a catalog holding one sector example: each answers or fails with a value, never throws,
 * and no query makes the connector load a class it names ({@code java:} function IRIs).
 * <p>
 * An input is the query or search text as UTF-8. Regression inputs: {@code SparqlFuzzTestInputs/} under this package in
 * src/test/resources. Fuzz with {@code JAZZER_FUZZ=1} (docs/security.md).
 */
@Tag("security")
class SparqlFuzzTest {

    /** Set by {@link LoadedByName}'s initialiser; kept here so that reading it does not load that class. */
    static final AtomicBoolean CLASS_LOADED_BY_NAME = new AtomicBoolean();

    private static final Dataset DATASET = catalog();
    private static final SparqlLimits LIMITS = new SparqlLimits(Duration.ofSeconds(5), 100);

    @FuzzTest(maxDuration = "5m")
    void query(byte[] input) {
        var result = new SparqlQueryService(DATASET, LIMITS).query(new String(input, StandardCharsets.UTF_8));

        assertThat(result).isNotNull();
        assertThat(CLASS_LOADED_BY_NAME).as("a query loaded a class it named").isFalse();
    }

    @FuzzTest(maxDuration = "5m")
    void search(byte[] input) {
        var result = new CatalogSearch(DATASET, LIMITS).find(new String(input, StandardCharsets.UTF_8), SearchScope.everything());

        assertThat(result).isNotNull();
    }

    @Test
    void query_whenSelectingDatasets_shouldAnswer() {
        // the fuzz target is not vacuous: the catalog holds a dataset that a plain query finds
        var result = new SparqlQueryService(DATASET, LIMITS)
                .query("SELECT ?d WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> } }");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.getContent().json()).contains("manufacturing");
    }

    private static Dataset catalog() {
        var dataset = CatalogDatasets.inMemory();
        VocabularyGraph.install(dataset);
        try (var in = SparqlFuzzTest.class.getClassLoader().getResourceAsStream("examples/manufacturing.jsonld")) {
            assertThat(in).isNotNull();
            var stored = new DcatCatalogStore(dataset, DataProfiles.shipped(), Clock.systemUTC())
                    .put("asset-1", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(stored.succeeded()).isTrue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return dataset;
    }
}
