package io.kakehashi.samples.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.kakehashi.core.spi.json.JsonCodec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenAPI 3.1 document used as a contract in tests: an answer of a real endpoint (status, content type, body) is
 * checked against the schema the document gives for that operation and status, with JSON Schema 2020-12 (OpenAPI
 * 3.1's dialect) and {@code #/components/...} references resolved inside the document; a request body likewise
 * against the operation's {@code requestBody}. An answer the document does not describe (an undocumented status or
 * content type) is a violation too. Documents and bodies are read with {@link JsonCodec}. Thread-safe.
 */
public final class OpenApiContract {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode document;
    private final SchemaRegistry registry = SchemaRegistry.withDialects(List.of(Dialects.getDraft202012()),
            builder -> builder.defaultDialectId(Dialects.getDraft202012().getId()).schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
    }

    /** Reads a document; fails unless it is an OpenAPI 3.1 object with paths. */
    public static OpenApiContract of(String json) {
        try {
            var node = JsonCodec.reader().readTree(json);
            if (node == null || !node.path("openapi").asText().startsWith("3.1") || !node.path("paths").isObject()) {
                throw new IllegalArgumentException("not an OpenAPI 3.1 document with paths");
            }
            return new OpenApiContract(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    /** Every documented operation as {@code "GET /v1/decisions"}, sorted. */
    public Set<String> operations() {
        var operations = new TreeSet<String>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    /**
     * The violations of an answer: empty when the document describes this status and content type for the operation
     * and the body satisfies the schema.
     *
     * @param pathTemplate the documented path, such as {@code /v1/decisions/{sequence}}
     */
    public List<String> checkResponse(String method, String pathTemplate, int status, String contentType, String body) {
        var operation = operation(method, pathTemplate);
        if (operation == null) {
            return List.of("%s %s is not documented".formatted(method, pathTemplate));
        }
        var pointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
        var response = document.at(pointer);
        if (response.isMissingNode()) {
            return List.of("%s %s documents no %d answer".formatted(method, pathTemplate, status));
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = document.at(pointer);
        }
        return checkContent(pointer, response, contentType, body, "%s %s %d".formatted(method, pathTemplate, status));
    }

    /** The violations of a request body against the operation's {@code requestBody}. */
    public List<String> checkRequest(String method, String pathTemplate, String contentType, String body) {
        var pointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT) + "/requestBody";
        var requestBody = document.at(pointer);
        if (requestBody.isMissingNode()) {
            return List.of("%s %s documents no request body".formatted(method, pathTemplate));
        }
        return checkContent(pointer, requestBody, contentType, body, "%s %s request".formatted(method, pathTemplate));
    }

    private List<String> checkContent(String pointer, JsonNode described, String contentType, String body, String what) {
        var mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!described.path("content").has(mediaType)) {
            return List.of("%s: content type '%s' is not documented (%s)".formatted(what, mediaType, names(described.path("content").fieldNames())));
        }
        var schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
        JsonNode instance;
        if (mediaType.endsWith("json")) {
            try {
                instance = JsonCodec.reader().readTree(body);
            } catch (JsonProcessingException e) {
                return List.of("%s: the body is not JSON: %s".formatted(what, e.getOriginalMessage()));
            }
        } else {
            instance = TextNode.valueOf(body);
        }
        List<Error> errors = schema(schemaPointer).validate(instance);
        var violations = new ArrayList<String>();
        errors.forEach(error -> violations.add(what + ": " + error));
        return violations;
    }

    /**
     * The whole document as the root, so that its {@code #/components/...} references resolve, with the keywords of
     * the one schema at {@code pointer} put on the root (OpenAPI's own top-level names are no JSON Schema keywords).
     */
    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> {
            var root = (ObjectNode) document.deepCopy();
            document.at(p).fields().forEachRemaining(keyword -> root.set(keyword.getKey(), keyword.getValue().deepCopy()));
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            var schema = registry.getSchema(root.toString());
            schema.initializeValidators();
            return schema;
        });
    }

    private JsonNode operation(String method, String pathTemplate) {
        var node = document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        return node.isMissingNode() ? null : node;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String names(Iterator<String> names) {
        var list = new ArrayList<String>();
        names.forEachRemaining(list::add);
        return String.join(", ", list);
    }
}
