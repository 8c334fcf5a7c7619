package io.kakehashi.catalog.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one SPARQL query may take. Immutable.
 *
 * @param timeout     the longest a query may run (parse to last result) before it is cancelled
 * @param resultLimit the most solutions a SELECT returns; a query's own smaller LIMIT is kept
 */
public record SparqlLimits(Duration timeout, int resultLimit) {
    public SparqlLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the SPARQL timeout must be positive, was " + timeout);
        }
        if (resultLimit < 1) {
            throw new IllegalArgumentException("the SPARQL result limit must be at least 1, was " + resultLimit);
        }
    }
}
