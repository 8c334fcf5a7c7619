package io.kakehashi.catalog.core;

import java.util.Objects;

/**
 * A SPARQL query's answer in the SPARQL 1.1 Query Results JSON Format. Immutable.
 *
 * @param json      the results document ({@code application/sparql-results+json})
 * @param rows      the number of solutions in it (0 for ASK)
 * @param truncated {@code true} if the query had more solutions than the result limit and only the first ones are given
 */
public record SparqlAnswer(String json, int rows, boolean truncated) {
    public static final String MEDIA_TYPE = "application/sparql-results+json";

    public SparqlAnswer {
        Objects.requireNonNull(json, "json");
    }
}
