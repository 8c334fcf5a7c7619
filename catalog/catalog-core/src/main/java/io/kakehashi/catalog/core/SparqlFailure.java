package io.kakehashi.catalog.core;

import org.eclipse.edc.spi.result.Failure;

import java.util.List;
import java.util.Objects;

/** Why a SPARQL query was not answered; the kind tells an API which status to give. Immutable. */
public final class SparqlFailure extends Failure {

    /** The kinds of refusal. */
    public enum Kind {
        /** not parseable as SPARQL 1.1, or a query form or feature this endpoint does not answer */
        BAD_QUERY,
        /** a SPARQL update: the endpoint is read-only */
        UPDATE_REFUSED,
        /** the query ran past the configured timeout and was cancelled */
        TIMEOUT
    }

    private final Kind kind;

    public SparqlFailure(Kind kind, String message) {
        super(List.of(message));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
