package io.kakehashi.catalog.core;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.ARQ;
import org.apache.jena.query.Query;
import org.apache.jena.sparql.algebra.Algebra;
import org.apache.jena.sparql.algebra.Op;
import org.apache.jena.sparql.algebra.OpVisitorBase;
import org.apache.jena.sparql.algebra.op.OpBGP;
import org.apache.jena.sparql.algebra.op.OpGroup;
import org.apache.jena.sparql.algebra.op.OpOrder;
import org.apache.jena.sparql.algebra.op.OpTopN;
import org.apache.jena.sparql.algebra.op.OpPath;
import org.apache.jena.sparql.algebra.op.OpPropFunc;
import org.apache.jena.sparql.algebra.op.OpProcedure;
import org.apache.jena.sparql.algebra.op.OpQuadPattern;
import org.apache.jena.sparql.algebra.op.OpService;
import org.apache.jena.sparql.algebra.op.OpTriple;
import org.apache.jena.sparql.algebra.walker.Walker;
import org.apache.jena.sparql.expr.E_Function;
import org.apache.jena.sparql.expr.ExprAggregator;
import org.apache.jena.sparql.expr.ExprFunctionN;
import org.apache.jena.sparql.expr.ExprFunctionOp;
import org.apache.jena.sparql.expr.ExprVisitorBase;
import org.apache.jena.sparql.expr.aggregate.AggCustom;
import org.apache.jena.sparql.function.FunctionFactory;
import org.apache.jena.sparql.function.FunctionRegistry;
import org.apache.jena.sparql.pfunction.PropertyFunctionRegistry;
import org.apache.jena.sparql.util.Context;

import java.util.Optional;

/**
 * What a query from outside (the SPARQL endpoint, a catalog search) may make Jena do: read the catalog, nothing more.
 * Jena resolves a function IRI it does not know by loading a class by name ({@code <java:package.Class>}, and names in
 * its own {@code ARQ/function#} namespace from its library package), which runs that class's static initialiser; it
 * treats registered predicates as property functions, and SERVICE as a call to another endpoint. So:
 * <ul>
 *     <li>{@link #refusal} names the first thing in a query that would call out: a function IRI that is not one of the
 *     functions Jena has registered (built-in XPath and XSD functions stay), any {@code java:} IRI, a custom
 *     aggregate, a property function or procedure, SERVICE — wherever it stands (FILTER, BIND, projection, ORDER BY,
 *     GROUP BY, HAVING, EXISTS, sub-queries);</li>
 *     <li>{@link #apply} sets on an execution's context a function registry that loads nothing, an empty property
 *     function registry with property functions off, and no SERVICE — so even a query the check missed cannot load
 *     a class or leave the connector.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class QueryConfinement {

    private static final String JAVA_SCHEME = "java:";

    private QueryConfinement() {
    }

    /** Why the query may not run, naming the IRI or feature; empty when it only reads. */
    public static Optional<String> refusal(Query query) {
        var check = new Check(functionRegistry());
        try {
            check.walk(Algebra.compile(query));
        } catch (RuntimeException e) {
            // what Jena cannot compile it could not run either: a bad query, not an error of the connector
            return Optional.of("the query cannot be compiled: " + e.getMessage());
        }
        return Optional.ofNullable(check.refusal);
    }

    /** Confines an execution: no class loaded by name, no property function, no SERVICE. */
    public static void apply(Context context) {
        FunctionRegistry.set(context, functionRegistry());
        PropertyFunctionRegistry.set(context, new PropertyFunctionRegistry());
        context.set(ARQ.enablePropertyFunctions, false);
        context.set(ARQ.httpServiceAllowed, false);
    }

    /** The functions Jena has registered, without its loading of unknown IRIs by class name. */
    static FunctionRegistry functionRegistry() {
        var registered = new RegisteredOnlyFunctionRegistry();
        var global = FunctionRegistry.get();
        for (var keys = global.keys(); keys.hasNext(); ) {
            var iri = keys.next();
            // a java: entry can only be there because something was once loaded by name
            if (!iri.startsWith(JAVA_SCHEME)) {
                registered.put(iri, global.get(iri));
            }
        }
        return registered;
    }

    /** Answers the functions put into it and nothing else; {@link FunctionRegistry#get} would load a class by name. */
    private static final class RegisteredOnlyFunctionRegistry extends FunctionRegistry {

        @Override
        public FunctionFactory get(String uri) {
            return uri != null && !uri.startsWith(JAVA_SCHEME) && isRegistered(uri) ? super.get(uri) : null;
        }
    }

    private static final class Check extends OpVisitorBase {

        private final FunctionRegistry functions;
        private String refusal;

        Check(FunctionRegistry functions) {
            this.functions = functions;
        }

        void walk(Op op) {
            if (refusal == null && op != null) {
                Walker.walk(op, this, new Expressions());
            }
        }

        private void refuse(String why) {
            if (refusal == null) {
                refusal = why;
            }
        }

        @Override
        public void visit(OpService op) {
            refuse("SERVICE is refused: the endpoint queries only this connector's catalog");
        }

        @Override
        public void visit(OpPropFunc op) {
            refuse("the property function <%s> is refused: the endpoint answers plain SPARQL".formatted(op.getProperty().getURI()));
        }

        @Override
        public void visit(OpProcedure op) {
            refuse("the procedure <%s> is refused: the endpoint answers plain SPARQL".formatted(op.getProcId().getURI()));
        }

        @Override
        public void visit(OpBGP op) {
            op.getPattern().forEach(this::predicate);
        }

        @Override
        public void visit(OpTriple op) {
            predicate(op.getTriple());
        }

        @Override
        public void visit(OpQuadPattern op) {
            op.getPattern().forEach(quad -> predicate(quad.asTriple()));
        }

        @Override
        public void visit(OpPath op) {
            // a path's steps are plain predicates; one naming a class by IRI is still refused
            var path = op.getTriplePath().getPath().toString();
            if (path.contains("<" + JAVA_SCHEME)) {
                refuse("the IRI %s is refused in a property path: the endpoint loads no code by name".formatted(path));
            }
        }

        @Override
        public void visit(OpOrder op) {
            // Jena's walker leaves sort conditions out
            op.getConditions().forEach(condition -> Walker.walk(condition.getExpression(), this, new Expressions()));
        }

        @Override
        public void visit(OpTopN op) {
            op.getConditions().forEach(condition -> Walker.walk(condition.getExpression(), this, new Expressions()));
        }

        @Override
        public void visit(OpGroup op) {
            for (var aggregator : op.getAggregators()) {
                aggregator(aggregator);
            }
        }

        private void aggregator(ExprAggregator aggregator) {
            if (aggregator.getAggregator() instanceof AggCustom custom) {
                refuse("the custom aggregate <%s> is refused: the endpoint answers SPARQL's own aggregates".formatted(custom.getIRI()));
            }
            var expressions = aggregator.getAggregator().getExprList();
            if (expressions != null) {
                expressions.forEach(expr -> Walker.walk(expr, this, new Expressions()));
            }
        }

        private void predicate(Triple triple) {
            Node predicate = triple.getPredicate();
            if (!predicate.isURI()) {
                return;
            }
            var iri = predicate.getURI();
            if (iri.startsWith(JAVA_SCHEME) || PropertyFunctionRegistry.standardRegistry().isRegistered(iri)
                    || iri.startsWith("http://jena.apache.org/ARQ/") || iri.startsWith("http://jena.hpl.hp.com/ARQ/")) {
                refuse("the property function <%s> is refused: the endpoint answers plain SPARQL and loads no code by name".formatted(iri));
            }
        }

        private final class Expressions extends ExprVisitorBase {

            @Override
            public void visit(ExprFunctionN function) {
                if (function instanceof E_Function named) {
                    var iri = named.getFunctionIRI();
                    if (iri.startsWith(JAVA_SCHEME) || !functions.isRegistered(iri)) {
                        refuse("the function <%s> is refused: only SPARQL's, XPath's and XSD's built-in functions are available".formatted(iri));
                    }
                }
            }

            @Override
            public void visit(ExprFunctionOp function) {
                // EXISTS and NOT EXISTS carry a whole pattern
                if (function.getGraphPattern() != null) {
                    Check.this.walk(function.getGraphPattern());
                } else if (function.getElement() != null) {
                    Check.this.walk(Algebra.compile(function.getElement()));
                }
            }

            @Override
            public void visit(ExprAggregator aggregator) {
                aggregator(aggregator);
            }
        }
    }
}
