package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.DataProfiles;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.ResultSetFactory;
import org.apache.jena.rdf.model.ResourceFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kakehashi.catalog.core.CatalogTestFixtures.example;
import static io.kakehashi.catalog.core.CatalogTestFixtures.japaneseOnlyDataset;
import static org.assertj.core.api.Assertions.assertThat;

class SparqlQueryServiceTest {

    private static final String PREFIXES = """
            PREFIX dcat: <http://www.w3.org/ns/dcat#>
            PREFIX dct: <http://purl.org/dc/terms/>
            PREFIX kh: <https://w3id.org/kakehashi/ns#>
            """;

    private Dataset dataset;
    private DcatCatalogStore store;

    @BeforeEach
    void setUp() {
        dataset = CatalogDatasets.inMemory();
        store = new DcatCatalogStore(dataset, DataProfiles.shipped(), Clock.systemUTC());
        VocabularyGraph.install(dataset);
    }

    private SparqlQueryService service(int limit) {
        return new SparqlQueryService(dataset, new SparqlLimits(Duration.ofSeconds(10), limit));
    }

    private static List<String> column(SparqlAnswer answer, String variable) {
        var results = ResultSetFactory.fromJSON(new ByteArrayInputStream(answer.json().getBytes(StandardCharsets.UTF_8)));
        var values = new ArrayList<String>();
        results.forEachRemaining(row -> values.add(row.get(variable).toString()));
        return values;
    }

    @Nested
    class Answers {
        @Test
        void query_whenSelectingTitles_shouldAnswerSparqlJsonFromTheAssetGraphs() {
            store.put("asset-1", example("manufacturing"));

            var result = service(100).query(PREFIXES + "SELECT ?title WHERE { GRAPH ?g { ?d a dcat:Dataset ; dct:title ?title FILTER(lang(?title) = 'ja') } }");

            assertThat(result.succeeded()).as(result.getFailureMessages().toString()).isTrue();
            assertThat(result.getContent().json()).contains("\"vars\"").contains("工作機械稼働データ");
            assertThat(result.getContent().rows()).isEqualTo(1);
            assertThat(result.getContent().truncated()).isFalse();
        }

        @Test
        void query_whenAsking_shouldAnswerABoolean() {
            store.put("asset-1", example("manufacturing"));

            var result = service(100).query(PREFIXES + "ASK { GRAPH ?g { ?d dct:conformsTo ?p } }");

            assertThat(result.getContent().json()).contains("\"boolean\"").contains("true");
        }

        @Test
        void query_whenAValueIsBound_shouldMatchItAsAnRdfTermNotAsText() {
            store.put("asset-1", japaneseOnlyDataset("https://data.example.jp/d/1", "一"));
            store.put("asset-2", japaneseOnlyDataset("https://data.example.jp/d/2", "二"));
            var query = PREFIXES + "SELECT ?g WHERE { GRAPH <urn:kakehashi:catalog:graphs> { ?g kh:assetId ?id } }";

            var hit = service(100).query(query, Map.of("id", ResourceFactory.createStringLiteral("asset-2")));
            var injection = service(100).query(query, Map.of("id", ResourceFactory.createStringLiteral("x\" || true || \"")));

            assertThat(column(hit.getContent(), "g")).containsExactly("urn:kakehashi:catalog:asset:asset-2");
            assertThat(injection.getContent().rows()).isZero();
        }

        @Test
        void query_whenMoreSolutionsThanTheLimit_shouldCutAndSaySo() {
            for (int i = 0; i < 5; i++) {
                store.put("asset-" + i, japaneseOnlyDataset("https://data.example.jp/d/" + i, "データ" + i));
            }

            var answer = service(3).query(PREFIXES + "SELECT ?d WHERE { GRAPH ?g { ?d a dcat:Dataset } }").getContent();

            assertThat(answer.rows()).isEqualTo(3);
            assertThat(answer.truncated()).isTrue();
            assertThat(column(answer, "d")).hasSize(3);
        }

        @Test
        void query_whenSolutionsExactlyFillTheLimit_shouldNotSayCut() {
            for (int i = 0; i < 3; i++) {
                store.put("asset-" + i, japaneseOnlyDataset("https://data.example.jp/d/" + i, "データ" + i));
            }

            var answer = service(3).query(PREFIXES + "SELECT ?d WHERE { GRAPH ?g { ?d a dcat:Dataset } }").getContent();

            assertThat(answer.rows()).isEqualTo(3);
            assertThat(answer.truncated()).isFalse();
        }

        @Test
        void query_whenTheQueryHasASmallerLimit_shouldKeepIt() {
            for (int i = 0; i < 5; i++) {
                store.put("asset-" + i, japaneseOnlyDataset("https://data.example.jp/d/" + i, "データ" + i));
            }

            var answer = service(3).query(PREFIXES + "SELECT ?d WHERE { GRAPH ?g { ?d a dcat:Dataset } } LIMIT 2").getContent();

            assertThat(answer.rows()).isEqualTo(2);
            assertThat(answer.truncated()).isFalse();
        }

        @Test
        void query_whenJoiningTheVocabulary_shouldFindAJapaneseTitleFromAnEnglishLabel() {
            store.put("asset-1", japaneseOnlyDataset("https://data.example.jp/d/1", "工作機械稼働データ"));
            var query = """
                    PREFIX dct: <http://purl.org/dc/terms/>
                    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                    SELECT ?title WHERE {
                      GRAPH <urn:kakehashi:catalog:vocabulary> {
                        ?concept skos:prefLabel ?en . FILTER(lcase(str(?en)) = ?text)
                        ?concept skos:prefLabel ?ja . FILTER(lang(?ja) = "ja")
                      }
                      GRAPH ?g { ?d dct:title ?title }
                      FILTER(CONTAINS(STR(?title), STR(?ja)))
                    }""";

            var answer = service(10).query(query, Map.of("text", ResourceFactory.createStringLiteral("machine operation"))).getContent();

            assertThat(column(answer, "title")).containsExactly("\"工作機械稼働データ\"@ja");
        }
    }

    @Nested
    class Refusals {
        @ParameterizedTest
        @ValueSource(strings = {
                "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
                "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
                "CLEAR ALL",
                "DROP GRAPH <urn:kakehashi:catalog:graphs>",
                "LOAD <http://127.0.0.1:1/data.ttl>"
        })
        void query_whenTextIsAnUpdate_shouldRefuseItAndChangeNothing(String update) {
            store.put("asset-1", example("manufacturing"));

            var result = service(10).query(update);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailure().kind()).isEqualTo(SparqlFailure.Kind.UPDATE_REFUSED);
            assertThat(result.getFailureDetail()).contains("read-only");
            assertThat(store.assetIds()).containsExactly("asset-1");
        }

        @Test
        void query_whenMalformed_shouldSayWhereWithoutThrowing() {
            var result = service(10).query("SELECT ?x WHERE { ?x ?y }");

            assertThat(result.getFailure().kind()).isEqualTo(SparqlFailure.Kind.BAD_QUERY);
            assertThat(result.getFailureDetail()).startsWith("malformed SPARQL query").contains("line 1");
        }

        @Test
        void query_whenEmpty_shouldRefuse() {
            assertThat(service(10).query("  ").getFailure().kind()).isEqualTo(SparqlFailure.Kind.BAD_QUERY);
        }

        @Test
        void query_whenConstruct_shouldRefuseTheForm() {
            var result = service(10).query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }");

            assertThat(result.getFailure().kind()).isEqualTo(SparqlFailure.Kind.BAD_QUERY);
            assertThat(result.getFailureDetail()).contains("only SELECT and ASK");
        }

        @Test
        void query_whenItCallsAService_shouldRefuseWithoutCallingOut() {
            var result = service(10).query("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }");

            assertThat(result.getFailure().kind()).isEqualTo(SparqlFailure.Kind.BAD_QUERY);
            assertThat(result.getFailureDetail()).contains("SERVICE is refused");
        }

        @Test
        void query_whenItNamesGraphsToLoad_shouldRefuseFromAndFromNamed() {
            var from = service(10).query("SELECT * FROM <http://127.0.0.1:1/data.ttl> WHERE { ?s ?p ?o }");
            var fromNamed = service(10).query("SELECT * FROM NAMED <http://127.0.0.1:1/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }");

            assertThat(from.getFailure().kind()).isEqualTo(SparqlFailure.Kind.BAD_QUERY);
            assertThat(fromNamed.getFailureDetail()).contains("FROM and FROM NAMED are refused");
        }

        @Test
        void query_whenItRunsPastTheTimeout_shouldBeCancelledWithAClearError() {
            for (int i = 0; i < 40; i++) {
                store.put("asset-" + i, japaneseOnlyDataset("https://data.example.jp/d/" + i, "データ" + i));
            }
            var slow = new SparqlQueryService(dataset, new SparqlLimits(Duration.ofMillis(50), 10));

            // a cross product of every quad with itself four times: far more work than 50 ms
            var result = slow.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } GRAPH ?c { ?s3 ?p3 ?o3 } GRAPH ?d { ?s4 ?p4 ?o4 } }");

            assertThat(result.getFailure().kind()).isEqualTo(SparqlFailure.Kind.TIMEOUT);
            assertThat(result.getFailureDetail()).contains("timeout of 50 ms");
        }
    }
}
