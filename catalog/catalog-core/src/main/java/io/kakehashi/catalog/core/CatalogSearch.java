package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.Vocabulary;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QuerySolution;
import org.apache.jena.query.QuerySolutionMap;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.engine.binding.BindingFactory;
import org.apache.jena.sparql.syntax.ElementData;
import org.apache.jena.sparql.syntax.ElementGroup;
import org.apache.jena.sparql.syntax.ElementSubQuery;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.system.Txn;
import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Free-text search over the own catalog and the peers' copies, in Japanese or English.
 * <p>
 * A dataset matches when its title, description or a keyword contains the text, or when the text names a concept
 * of the vocabulary (in either language, {@link Vocabulary#conceptsMatching(String)}) and the dataset has that
 * concept as {@code dcat:theme} or a title or keyword containing any of the concept's labels in either language.
 * So "machine operation" finds a dataset titled only 「工作機械稼働データ」. The text, the labels, the concepts, the
 * scope flags, the freshness bound and the peer ids are bound as RDF terms, never pasted into the query (only the
 * number of term variables depends on the input).
 * <p>
 * Text is compared after the vocabulary's normalisation (NFKC, lower case). At most
 * {@link SparqlLimits#resultLimit()} datasets (or fewer if asked) are returned, under {@link SparqlLimits#timeout()}.
 * Thread-safe: holds only immutable configuration.
 */
public final class CatalogSearch {

    // ?term0 … ?termN (the text and the matched concepts' labels) and ?concept0 … ?conceptM are bound per call;
    // only the number of variables varies, never a value
    // ?term0 … ?termN (the text and the matched concepts' labels) and ?concept0 … ?conceptM are bound per call;
    // only the number of variables and the integer LIMIT vary, never a caller's value. The scope is decided inside
    // the limited sub-select, so the limit counts only datasets the caller may see, and the engine can stop early.
    private static final String TEMPLATE = """
            PREFIX dcat: <http://www.w3.org/ns/dcat#>
            PREFIX dct: <http://purl.org/dc/terms/>
            PREFIX kh: <https://w3id.org/kakehashi/ns#>
            SELECT ?graph ?dataset ?title ?assetId ?peerId ?fetchedAt WHERE {
              {
                SELECT DISTINCT ?graph ?dataset ?assetId ?peerId ?fetchedAt WHERE {
                  {
                    GRAPH ?graph { ?dataset dcat:theme ?theme }
                    FILTER(%1$s)
                  } UNION {
                    GRAPH ?graph { ?dataset dct:title ?text }
                    FILTER(%2$s)
                  } UNION {
                    GRAPH ?graph { ?dataset dcat:keyword ?text }
                    FILTER(%2$s)
                  } UNION {
                    GRAPH ?graph { ?dataset dct:description ?text }
                    FILTER(CONTAINS(LCASE(STR(?text)), ?term0))
                  }
                  GRAPH ?graph { ?dataset a dcat:Dataset }
                  OPTIONAL { GRAPH <urn:kakehashi:catalog:graphs> { ?graph kh:assetId ?assetId } }
                  OPTIONAL { GRAPH <urn:kakehashi:catalog:graphs> { ?graph kh:peerId ?peerId ; kh:fetchedAt ?fetchedAt } }
                  FILTER((BOUND(?assetId) && ?includeOwn)
                         || (BOUND(?peerId) && ?fetchedAt >= ?since && (?anyPeer || ?peerId = ?allowedPeer)))
                } LIMIT %3$d
              }
              GRAPH ?graph { ?dataset dct:title ?title }
            }
            ORDER BY ?graph ?dataset
            """;

    private final Dataset dataset;
    private final SparqlLimits limits;
    private final Vocabulary vocabulary;

    public CatalogSearch(Dataset dataset, SparqlLimits limits) {
        this(dataset, limits, Vocabulary.shipped());
    }

    public CatalogSearch(Dataset dataset, SparqlLimits limits, Vocabulary vocabulary) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    }

    /**
     * The datasets matching {@code text} within {@code scope}, ordered by graph and dataset.
     *
     * @return the hits, or a failure for a blank text or a search past the timeout
     */
    public Result<List<CatalogHit>> find(String text, SearchScope scope) {
        return find(text, scope, limits.resultLimit());
    }

    /**
     * At most {@code maxHits} datasets matching {@code text} within {@code scope} (capped at the result limit),
     * ordered by graph and dataset. When more match, which ones are returned is up to the engine.
     *
     * @return the hits, or a failure for a blank text, a non-positive maximum or a search past the timeout
     */
    public Result<List<CatalogHit>> find(String text, SearchScope scope, int maxHits) {
        Objects.requireNonNull(scope, "scope");
        if (maxHits < 1) {
            return Result.failure("the number of hits asked for must be at least 1, was " + maxHits);
        }
        var cap = Math.min(maxHits, limits.resultLimit());
        if (text == null || text.isBlank()) {
            return Result.failure("the search text is empty");
        }
        var normalised = Vocabulary.normalise(text);
        var concepts = vocabulary.conceptsMatching(text);
        var terms = new java.util.LinkedHashSet<String>();
        terms.add(normalised);
        concepts.forEach(c -> c.labels().forEach(label -> terms.add(Vocabulary.normalise(label.text()))));
        var termList = List.copyOf(terms);
        var textFilter = java.util.stream.IntStream.range(0, termList.size())
                .mapToObj(i -> "CONTAINS(LCASE(STR(?text)), ?term" + i + ")")
                .collect(java.util.stream.Collectors.joining(" || "));
        var themeFilter = concepts.isEmpty() ? "false" : java.util.stream.IntStream.range(0, concepts.size())
                .mapToObj(i -> "?theme = ?concept" + i)
                .collect(java.util.stream.Collectors.joining(" || "));
        var query = QueryFactory.create(TEMPLATE.formatted(themeFilter, textFilter, cap));
        if (!scope.peerIds().isEmpty()) {
            // the allowed peers join inside the pattern, so the FILTER sees them (a trailing VALUES would join after it)
            var allowed = Var.alloc("allowedPeer");
            var rows = scope.peerIds().stream().sorted()
                    .map(id -> (Binding) BindingFactory.binding(allowed, NodeFactory.createLiteralString(id)))
                    .toList();
            var outer = (ElementGroup) query.getQueryPattern();
            var inner = ((ElementSubQuery) outer.get(0)).getQuery();
            ((ElementGroup) inner.getQueryPattern()).addElement(new ElementData(List.of(allowed), rows));
        }
        var bindings = new QuerySolutionMap();
        for (int i = 0; i < termList.size(); i++) {
            bindings.add("term" + i, ResourceFactory.createStringLiteral(termList.get(i)));
        }
        for (int i = 0; i < concepts.size(); i++) {
            bindings.add("concept" + i, ResourceFactory.createResource(concepts.get(i).iri()));
        }
        bindings.add("includeOwn", ResourceFactory.createTypedLiteral(scope.ownCatalog()));
        bindings.add("anyPeer", ResourceFactory.createTypedLiteral(scope.peerIds().isEmpty()));
        bindings.add("since", ResourceFactory.createTypedLiteral(scope.fetchedSince().toString(), XSDDatatype.XSDdateTime));
        try {
            return Result.success(Txn.calculateRead(dataset, () -> run(query, bindings, cap)));
        } catch (QueryCancelledException e) {
            return Result.failure("the search ran past its timeout of %d ms and was cancelled".formatted(limits.timeout().toMillis()));
        }
    }

    private List<CatalogHit> run(Query query, QuerySolutionMap bindings, int cap) {
        var hits = new LinkedHashMap<List<String>, HitBuilder>();
        // the query is this class's own template, but the terms and the data it reads are not: it runs confined too
        var context = new org.apache.jena.sparql.util.Context();
        QueryConfinement.apply(context);
        try (var execution = QueryExecution.dataset(dataset).query(query).substitution(bindings).context(context)
                .timeout(limits.timeout().toMillis(), TimeUnit.MILLISECONDS).build()) {
            var results = execution.execSelect();
            while (results.hasNext()) {
                QuerySolution row = results.next();
                var graph = row.getResource("graph").getURI();
                var datasetNode = row.get("dataset");
                var datasetId = datasetNode.isURIResource() ? datasetNode.asResource().getURI() : datasetNode.toString();
                var key = List.of(graph, datasetId);
                if (!hits.containsKey(key) && hits.size() >= cap) {
                    break;
                }
                var hit = hits.computeIfAbsent(key, k -> new HitBuilder(graph, datasetId,
                        Optional.ofNullable(row.getLiteral("assetId")).map(l -> l.getLexicalForm()),
                        Optional.ofNullable(row.getLiteral("peerId")).map(l -> l.getLexicalForm()),
                        Optional.ofNullable(row.getLiteral("fetchedAt")).map(l -> Instant.parse(l.getLexicalForm()))));
                var title = row.get("title");
                if (title.isLiteral()) {
                    hit.titles.putIfAbsent(title.asLiteral().getLanguage(), title.asLiteral().getLexicalForm());
                }
            }
        }
        var list = new ArrayList<CatalogHit>();
        hits.values().forEach(h -> list.add(new CatalogHit(h.graph, h.dataset, h.assetId, h.peerId, h.fetchedAt, h.titles)));
        return list;
    }

    private static final class HitBuilder {
        private final String graph;
        private final String dataset;
        private final Optional<String> assetId;
        private final Optional<String> peerId;
        private final Optional<Instant> fetchedAt;
        private final Map<String, String> titles = new HashMap<>();

        private HitBuilder(String graph, String dataset, Optional<String> assetId, Optional<String> peerId, Optional<Instant> fetchedAt) {
            this.graph = graph;
            this.dataset = dataset;
            this.assetId = assetId;
            this.peerId = peerId;
            this.fetchedAt = fetchedAt;
        }
    }
}
