package io.kakehashi.catalog.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.CatalogSearch;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.catalog.core.SparqlLimits;
import io.kakehashi.catalog.core.SparqlQueryService;
import io.kakehashi.catalog.core.VocabularyGraph;
import io.kakehashi.catalog.profiles.DataProfiles;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturing;
import static org.assertj.core.api.Assertions.assertThat;

class CatalogQueryApiControllerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private CatalogQueryApiController controller;

    @BeforeEach
    void setUp() {
        var dataset = CatalogDatasets.inMemory();
        VocabularyGraph.install(dataset);
        new DcatCatalogStore(dataset, DataProfiles.shipped(), Clock.systemUTC()).put("machines", manufacturing()).orElseThrow(f -> new AssertionError(f.getFailureDetail()));
        var limits = new SparqlLimits(Duration.ofSeconds(10), 100);
        controller = new CatalogQueryApiController(new SparqlQueryService(dataset, limits), new CatalogSearch(dataset, limits), Clock.systemUTC());
    }

    private static JsonNode body(Response response) {
        try {
            return MAPPER.readTree((String) response.getEntity());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Nested
    class Sparql {
        private static final String TITLES = """
                PREFIX dct: <http://purl.org/dc/terms/>
                SELECT ?title WHERE { GRAPH ?g { ?d dct:title ?title } } ORDER BY ?title""";

        @Test
        void sparqlBody_whenQueryIsValid_shouldAnswerSparqlJson() {
            var response = controller.sparqlBody(TITLES);

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getMediaType().toString()).isEqualTo("application/sparql-results+json");
            assertThat(response.getHeaderString(CatalogQueryApiController.TRUNCATED_HEADER)).isEqualTo("false");
            assertThat(body(response).at("/results/bindings")).hasSize(2);
        }

        @Test
        void sparqlForm_andGet_shouldAnswerTheSame() {
            assertThat(controller.sparqlForm(TITLES).getEntity()).isEqualTo(controller.sparqlGet(TITLES).getEntity());
        }

        @Test
        void sparqlBody_whenUpdate_shouldBe400NamingReadOnly() {
            var response = controller.sparqlBody("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }");

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(body(response).get(0).get("message").asText()).contains("read-only");
        }

        @Test
        void sparqlBody_whenMalformed_shouldBe400() {
            var response = controller.sparqlBody("SELECT WHERE {");

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(body(response).get(0).get("message").asText()).startsWith("malformed SPARQL query");
        }

        @Test
        void sparqlGet_whenQueryIsMissing_shouldBe400() {
            assertThat(controller.sparqlGet(null).getStatus()).isEqualTo(400);
        }
    }

    @Nested
    class Timeout {
        @Test
        void sparqlBody_whenQueryRunsPastTheTimeout_shouldBe503() {
            var dataset = CatalogDatasets.inMemory();
            VocabularyGraph.install(dataset);
            var limits = new SparqlLimits(Duration.ofMillis(50), 10);
            var slow = new CatalogQueryApiController(new SparqlQueryService(dataset, limits), new CatalogSearch(dataset, limits), Clock.systemUTC());

            // the vocabulary graph against itself four times over: far more than 50 ms of work
            var response = slow.sparqlBody("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } GRAPH ?c { ?s3 ?p3 ?o3 } GRAPH ?d { ?s4 ?p4 ?o4 } }");

            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(body(response).get(0).get("message").asText()).contains("timeout");
        }
    }

    @Nested
    class Search {
        @Test
        void search_whenEnglishTextNamesATheme_shouldListTheDatasetWithBothTitles() {
            var response = controller.search("machine operation", List.of(), null, null, null);

            assertThat(response.getStatus()).isEqualTo(200);
            var hit = body(response).get("datasets").get(0);
            assertThat(hit.get("assetId").asText()).isEqualTo("machines");
            assertThat(hit.get("title").get("ja").asText()).isEqualTo("工作機械稼働データ");
            assertThat(body(response).get("count").asInt()).isEqualTo(1);
        }

        @Test
        void search_whenPeersAreNamed_shouldLeaveOutTheOwnCatalog() {
            var response = controller.search("machine operation", List.of("someone"), null, null, null);

            assertThat(body(response).get("count").asInt()).isZero();
        }

        @Test
        void search_whenMaxAgeIsNotADuration_shouldBe400() {
            var response = controller.search("machine operation", List.of(), null, "1 hour", null);

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(body(response).get(0).get("message").asText()).contains("maxAge").contains("ISO-8601");
        }

        @Test
        void search_whenLimitIsNotANumberOrNotPositive_shouldBe400() {
            assertThat(controller.search("machine operation", List.of(), null, null, "ten").getStatus()).isEqualTo(400);
            assertThat(body(controller.search("machine operation", List.of(), null, null, "0")).get(0).get("message").asText()).contains("at least 1");
        }

        @Test
        void search_whenLimitIsGiven_shouldAnswerAtMostThatMany() {
            assertThat(body(controller.search("machine operation", List.of(), null, null, "1")).get("count").asInt()).isEqualTo(1);
        }

        @Test
        void search_whenOwnIsNotABoolean_shouldBe400() {
            assertThat(controller.search("x", List.of(), "yes", null, null).getStatus()).isEqualTo(400);
        }

        @Test
        void search_whenTextIsMissing_shouldBe400() {
            assertThat(controller.search(null, List.of(), null, null, null).getStatus()).isEqualTo(400);
        }
    }
}
