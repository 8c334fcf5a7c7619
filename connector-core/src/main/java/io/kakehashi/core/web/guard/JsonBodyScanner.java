package io.kakehashi.core.web.guard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads a JSON body once, as a stream, before anything builds a tree of it: it must be one JSON value (an object when
 * the endpoint takes an object), nested at most a configured depth, and no string or name in it may hold the NUL
 * character (PostgreSQL cannot store it, and no text a connector exchanges needs it). Thread-safe.
 */
public final class JsonBodyScanner {

    private final int maxDepth;
    private final JsonFactory factory;

    /**
     * @param maxDepth  deepest nesting of objects and arrays accepted
     * @param maxLength longest body accepted, so that no string inside it is refused for its length alone
     */
    public JsonBodyScanner(int maxDepth, long maxLength) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be positive");
        }
        this.maxDepth = maxDepth;
        // the depth is counted here to name it in the answer; Jackson's own limits only stop runaway input
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth + 1)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, Math.max(maxLength, StreamReadConstraints.DEFAULT_MAX_STRING_LEN)))
                        .build())
                .build();
    }

    /**
     * @param body          the body's bytes, not empty
     * @param objectExpected whether the endpoint takes a JSON object (rather than any JSON value)
     * @return what is wrong with the body, or empty when it may be read
     */
    public Optional<String> scan(byte[] body, boolean objectExpected) {
        try (var parser = factory.createParser(body)) {
            var first = parser.nextToken();
            if (first == null) {
                return Optional.of("the body holds no JSON value");
            }
            if (objectExpected && first != JsonToken.START_OBJECT) {
                return Optional.of("the body must be a JSON object, not %s".formatted(describe(first)));
            }
            var depth = 0;
            for (var token = first; token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > maxDepth) {
                            return Optional.of("the body is nested deeper than %d levels".formatted(maxDepth));
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> {
                        if (parser.getText().indexOf('\u0000') >= 0) {
                            return Optional.of("%s at %s contains the NUL character"
                                    .formatted(token == JsonToken.FIELD_NAME ? "a name" : "a string", pointer(parser)));
                        }
                    }
                    default -> {
                    }
                }
                if (depth == 0 && token != JsonToken.FIELD_NAME) {
                    if (parser.nextToken() != null) {
                        return Optional.of("the body holds more than one JSON value");
                    }
                    return Optional.empty();
                }
            }
            return Optional.of("the body ends inside a JSON value");
        } catch (JsonProcessingException e) {
            return Optional.of("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return Optional.of("the body could not be read");
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "'" + token.asString() + "'";
        };
    }

    private static String pointer(JsonParser parser) {
        var path = parser.getParsingContext().pathAsPointer().toString();
        return RequestProblem.clip(path.isEmpty() ? "/" : path);
    }
}
