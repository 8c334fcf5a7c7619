package io.kakehashi.core.spi.openapi;

import java.util.List;
import java.util.Optional;

/**
 * The OpenAPI 3.1 documents of the endpoints Kakehashi adds, by web context: a module registers the document of its
 * API during {@code initialize()}, and the connector serves each context's documents on that context at
 * {@code GET <context path>/openapi/<name>.json} (behind the context's own authentication), with
 * {@code GET <context path>/openapi} listing them. Implementations are thread-safe.
 */
public interface OpenApiDocuments {

    /**
     * Registers a document, read now from the class path of {@code owner}.
     *
     * @param context  the web context whose endpoints the document describes (management, auditor, metrics, ...)
     * @param name     the document's name in its URL: lower-case letters, digits and dashes
     * @param owner    a class whose class loader holds the resource
     * @param resource the absolute class-path resource, such as {@code /openapi/auditor.json}
     * @throws IllegalArgumentException when the name is malformed, already taken on the context, or the resource is
     *                                  missing or not a JSON object
     */
    void register(String context, String name, Class<?> owner, String resource);

    /** The document, as registered. */
    Optional<String> document(String context, String name);

    /** The names of a context's documents, in registration order. */
    List<String> names(String context);
}
