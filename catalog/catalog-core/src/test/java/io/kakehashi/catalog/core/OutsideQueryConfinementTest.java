package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.DataProfiles;
import org.apache.jena.query.Dataset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.kakehashi.catalog.core.CatalogTestFixtures.example;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, defect 9: Jena loads {@code <java:package.Class>} function IRIs by name (running the class's static
 * initialiser, then instantiating it as a function), so a caller of the SPARQL endpoint could load any class on the
 * connector's class path. Every outside query is now refused with a 400 naming such an IRI wherever it stands, and
 * runs with function and property-function registries that load nothing.
 */
class OutsideQueryConfinementTest {

    static final AtomicBoolean PROBE_LOADED = new AtomicBoolean();
    private static final String PROBE = "<java:io.kakehashi.catalog.core.JavaFunctionProbe>";

    private Dataset dataset;
    private SparqlQueryService service;

    @BeforeEach
    void setUp() {
        dataset = CatalogDatasets.inMemory();
        new DcatCatalogStore(dataset, DataProfiles.shipped(), Clock.systemUTC()).put("asset-1", example("manufacturing"));
        VocabularyGraph.install(dataset);
        service = new SparqlQueryService(dataset, new SparqlLimits(Duration.ofSeconds(10), 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT ?x WHERE { BIND(" + PROBE + "('a') AS ?x) }",
            "SELECT (" + PROBE + "('a') AS ?x) WHERE { }",
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(" + PROBE + "(?o) = 'x') } }",
            "ASK { FILTER(STRLEN(" + PROBE + "('a')) > 0) }",
            "SELECT ?s WHERE { ?s ?p ?o } ORDER BY " + PROBE + "(?o)",
            "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { SELECT ?y WHERE { BIND(" + PROBE + "('a') AS ?y) } } }",
            "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { FILTER(" + PROBE + "(?o)) } } } }",
            "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (" + PROBE + "(?s))",
            "SELECT ?k WHERE { ?s ?p ?o } GROUP BY (" + PROBE + "(?o) AS ?k)",
            "SELECT (" + PROBE + "(DISTINCT ?o) AS ?x) WHERE { ?s ?p ?o }",
            "SELECT ?s WHERE { ?s ?p ?o } ORDER BY DESC(" + PROBE + "(?o)) LIMIT 1",
            "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?r FILTER(" + PROBE + "(?r)) } }",
    })
    void query_namingAJavaFunction_shouldBeRefusedNamingTheIriAndLoadNothing(String query) {
        var result = service.query(query);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailure().kind()).isEqualTo(SparqlFailure.Kind.BAD_QUERY);
        assertThat(result.getFailureDetail()).contains("java:io.kakehashi.catalog.core.JavaFunctionProbe");
        assertThat(PROBE_LOADED).as("the probe class was loaded by name").isFalse();
    }

    @Test
    void query_namingAJavaPropertyFunction_shouldBeRefusedNamingTheIri() {
        var result = service.query("SELECT ?o WHERE { ?s " + PROBE + " ?o }");

        assertThat(result.getFailureDetail()).contains("java:io.kakehashi.catalog.core.JavaFunctionProbe");
        assertThat(PROBE_LOADED).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // an unregistered name in Jena's own function namespace is loaded from its library package by name
            "SELECT ?x WHERE { BIND(<http://jena.apache.org/ARQ/function#JavaFunctionProbe>('a') AS ?x) }",
            "SELECT ?x WHERE { BIND(<http://example.org/no-such-function>('a') AS ?x) }",
            // a registered property function (list membership) is still a property function by IRI
            "SELECT ?m WHERE { ?l <http://jena.apache.org/ARQ/list#member> ?m }",
    })
    void query_namingAFunctionNotBuiltIn_shouldBeRefusedNamingIt(String query) {
        var result = service.query(query);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailure().kind()).isEqualTo(SparqlFailure.Kind.BAD_QUERY);
        assertThat(result.getFailureDetail()).contains("http://");
    }

    @Test
    void query_usingBuiltInAndXsdFunctions_shouldStillBeAnswered() {
        var result = service.query("""
                PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
                PREFIX fn: <http://www.w3.org/2005/xpath-functions#>
                SELECT (xsd:integer("42") AS ?n) (fn:upper-case("a") AS ?u) (STRLEN("abc") AS ?l) WHERE { }""");

        assertThat(result.succeeded()).as(result.succeeded() ? "" : result.getFailureDetail()).isTrue();
        assertThat(result.getContent().json()).contains("42").contains("\"A\"");
    }

    @Test
    void confinedContext_shouldLoadNoFunctionByName() {
        var registry = QueryConfinement.functionRegistry();

        assertThat(registry.get("java:io.kakehashi.catalog.core.JavaFunctionProbe")).isNull();
        assertThat(registry.get("http://jena.apache.org/ARQ/function#JavaFunctionProbe")).isNull();
        assertThat(registry.get("http://www.w3.org/2001/XMLSchema#integer")).isNotNull();
        assertThat(PROBE_LOADED).isFalse();
    }
}
