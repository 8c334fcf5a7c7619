package io.kakehashi.catalog.core;

import org.eclipse.edc.spi.result.AbstractResult;
import org.jetbrains.annotations.Nullable;

/** The outcome of a SPARQL query: an answer, or a {@link SparqlFailure} saying why not. Immutable. */
public final class SparqlResult extends AbstractResult<SparqlAnswer, SparqlFailure, SparqlResult> {

    private SparqlResult(SparqlAnswer content, SparqlFailure failure) {
        super(content, failure);
    }

    public static SparqlResult success(SparqlAnswer answer) {
        return new SparqlResult(answer, null);
    }

    public static SparqlResult failure(SparqlFailure.Kind kind, String message) {
        return new SparqlResult(null, new SparqlFailure(kind, message));
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <R1 extends AbstractResult<C1, SparqlFailure, R1>, C1> R1 newInstance(@Nullable C1 content, @Nullable SparqlFailure failure) {
        return (R1) new SparqlResult((SparqlAnswer) content, failure);
    }
}
