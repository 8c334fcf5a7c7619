package io.kakehashi.catalog.core;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.QuerySolutionMap;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.ResultSetStream;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.util.Context;
import org.apache.jena.system.Txn;
import org.apache.jena.update.UpdateFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Read-only SPARQL 1.1 queries over the whole catalog dataset: the own assets' graphs, the peers' graphs, the graph
 * describing them ({@link CatalogNames#GRAPHS_GRAPH}) and the vocabulary ({@link CatalogNames#VOCABULARY_GRAPH}).
 * <p>
 * SELECT and ASK are answered in the SPARQL JSON results format. A SELECT returns at most
 * {@link SparqlLimits#resultLimit()} solutions (the answer says when it was cut). Every query runs in a read
 * transaction with {@link SparqlLimits#timeout()} as its overall timeout. Refused, as a {@link SparqlFailure}:
 * updates, malformed queries, CONSTRUCT and DESCRIBE, {@code FROM} and {@code FROM NAMED} (which could make the
 * connector fetch URLs a caller chooses), and whatever {@link QueryConfinement} refuses: {@code SERVICE}, function
 * IRIs Jena would load as classes by name ({@code <java:…>}), property functions, custom aggregates. Every query runs
 * confined ({@link QueryConfinement#apply}). Caller values go in as RDF terms through {@link #query(String, Map)}, never into the
 * text.
 * <p>
 * Thread-safe: holds only immutable configuration; readers run concurrently under Jena's transactions.
 */
public final class SparqlQueryService {

    private final Dataset dataset;
    private final SparqlLimits limits;

    public SparqlQueryService(Dataset dataset, SparqlLimits limits) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public SparqlLimits limits() {
        return limits;
    }

    /** Parses and runs a query. */
    public SparqlResult query(String text) {
        return query(text, Map.of());
    }

    /** Parses and runs a query with variables bound to RDF terms (Jena substitution). */
    public SparqlResult query(String text, Map<String, RDFNode> bindings) {
        if (text == null || text.isBlank()) {
            return SparqlResult.failure(SparqlFailure.Kind.BAD_QUERY, "the SPARQL query is empty");
        }
        Query query;
        try {
            query = QueryFactory.create(text, Syntax.syntaxSPARQL_11);
        } catch (QueryParseException e) {
            if (isUpdate(text)) {
                return SparqlResult.failure(SparqlFailure.Kind.UPDATE_REFUSED, "SPARQL updates are refused: the catalog endpoint is read-only");
            }
            return SparqlResult.failure(SparqlFailure.Kind.BAD_QUERY, "malformed SPARQL query: " + e.getMessage());
        }
        return run(query, bindings);
    }

    /** Runs an already built query (e.g. one with a VALUES block set through Jena's API). */
    public SparqlResult query(Query query, Map<String, RDFNode> bindings) {
        return run(query.cloneQuery(), bindings);
    }

    private SparqlResult run(Query query, Map<String, RDFNode> bindings) {
        if (!query.isSelectType() && !query.isAskType()) {
            return SparqlResult.failure(SparqlFailure.Kind.BAD_QUERY, "only SELECT and ASK queries are answered, not " + query.queryType());
        }
        if (query.hasDatasetDescription()) {
            // FROM / FROM NAMED name graphs to load; the catalog's graphs are all there already, and loading would fetch URLs
            return SparqlResult.failure(SparqlFailure.Kind.BAD_QUERY, "FROM and FROM NAMED are refused: query the catalog's graphs with GRAPH");
        }
        var refusal = QueryConfinement.refusal(query);
        if (refusal.isPresent()) {
            return SparqlResult.failure(SparqlFailure.Kind.BAD_QUERY, refusal.get());
        }
        var capped = false;
        if (query.isSelectType() && (!query.hasLimit() || query.getLimit() > limits.resultLimit())) {
            // one more than allowed, to tell a cut answer from one that fits exactly
            query.setLimit(limits.resultLimit() + 1L);
            capped = true;
        }
        var solutions = new QuerySolutionMap();
        bindings.forEach(solutions::add);
        var truncatable = capped;
        try {
            return Txn.calculateRead(dataset, () -> {
                var context = new Context();
                QueryConfinement.apply(context);
                try (QueryExecution execution = QueryExecution.dataset(dataset).query(query).substitution(solutions).context(context)
                        .timeout(limits.timeout().toMillis(), TimeUnit.MILLISECONDS).build()) {
                    var out = new ByteArrayOutputStream();
                    if (query.isAskType()) {
                        ResultSetFormatter.outputAsJSON(out, execution.execAsk());
                        return SparqlResult.success(new SparqlAnswer(out.toString(StandardCharsets.UTF_8), 0, false));
                    }
                    var results = execution.execSelect();
                    var vars = results.getResultVars().stream().map(Var::alloc).toList();
                    var rows = new ArrayList<Binding>();
                    // read the whole (capped) answer inside the transaction and under the timeout
                    while (results.hasNext()) {
                        rows.add(results.nextBinding());
                    }
                    var truncated = truncatable && rows.size() > limits.resultLimit();
                    var kept = truncated ? rows.subList(0, limits.resultLimit()) : rows;
                    ResultSetFormatter.outputAsJSON(out, ResultSetStream.create(vars, kept.iterator()));
                    return SparqlResult.success(new SparqlAnswer(out.toString(StandardCharsets.UTF_8), kept.size(), truncated));
                }
            });
        } catch (QueryCancelledException e) {
            return SparqlResult.failure(SparqlFailure.Kind.TIMEOUT,
                    "the SPARQL query ran past its timeout of %d ms and was cancelled".formatted(limits.timeout().toMillis()));
        }
    }

    private static boolean isUpdate(String text) {
        try {
            UpdateFactory.create(text, Syntax.syntaxSPARQL_11);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
