package io.kakehashi.core.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link OpenApiDocuments} read from the class path at registration, so a missing or malformed document stops the
 * connector at start rather than answering 500 later. A document is checked with the runtime's {@code TypeManager}
 * mapper. Thread-safe.
 */
public final class ClasspathOpenApiDocuments implements OpenApiDocuments {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private final Map<String, Map<String, String>> byContext = new LinkedHashMap<>();
    private final ObjectMapper mapper;

    public ClasspathOpenApiDocuments(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public synchronized void register(String context, String name, Class<?> owner, String resource) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("OpenAPI document name '%s' must be lower-case letters, digits and dashes".formatted(name));
        }
        var documents = byContext.computeIfAbsent(context, c -> new LinkedHashMap<>());
        if (documents.containsKey(name)) {
            throw new IllegalArgumentException("OpenAPI document '%s' is registered twice on context '%s'".formatted(name, context));
        }
        documents.put(name, read(owner, resource));
    }

    @Override
    public synchronized Optional<String> document(String context, String name) {
        return Optional.ofNullable(byContext.getOrDefault(context, Map.of()).get(name));
    }

    @Override
    public synchronized List<String> names(String context) {
        return new ArrayList<>(byContext.getOrDefault(context, Map.of()).keySet());
    }

    /** The contexts that have at least one document. */
    public synchronized Set<String> contexts() {
        return Set.copyOf(byContext.keySet());
    }

    private String read(Class<?> owner, String resource) {
        try (var in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("OpenAPI document %s is not on the class path of %s".formatted(resource, owner.getName()));
            }
            var text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            var tree = mapper.readTree(text);
            if (tree == null || !tree.isObject() || !tree.path("openapi").asText().startsWith("3.1")) {
                throw new IllegalArgumentException("OpenAPI document %s is not an OpenAPI 3.1 JSON object".formatted(resource));
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("OpenAPI document %s is not JSON: %s".formatted(resource, e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
