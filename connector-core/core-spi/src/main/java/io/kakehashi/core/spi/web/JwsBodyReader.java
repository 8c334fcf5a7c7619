package io.kakehashi.core.spi.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads the body of a public endpoint that takes one signed statement, {@code {"<member>": "<compact JWS>"}}, before
 * anything about the caller is known: at most a limit of bytes (413 beyond it; never more than the limit and one byte
 * held), strict UTF-8, one JSON object with that one member, a string, and nothing after the object. Anything else is
 * a 400 that says what is wrong without quoting the body. It checks the JWS's form only (three base64url parts); its
 * signature is the endpoint's to verify. Deeply nested input is refused at its first token, without a tree being
 * built. Immutable and thread-safe.
 */
public final class JwsBodyReader {

    // header and payload are never empty; the signature is empty only for an unsecured JWS, which verifiers refuse
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final String member;
    private final int maxBytes;
    private final String shape;

    /**
     * @param member   the one member the body holds, also how messages name the JWS ("the receipt is not…")
     * @param maxBytes the most bytes a body may have
     */
    public JwsBodyReader(String member, int maxBytes) {
        this.member = Objects.requireNonNull(member, "member");
        if (maxBytes < 1 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBytes must be between 1 and Integer.MAX_VALUE - 1");
        }
        this.maxBytes = maxBytes;
        this.shape = "the body must be {\"%s\": \"<compact JWS>\"}".formatted(member);
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Reads the body to its end or to one byte past the limit, whichever comes first; the caller closes the stream.
     *
     * @return the JWS, or the problem to answer with
     */
    public Read read(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            return Read.refused(HttpProblem.badRequest("the body cannot be read"));
        }
        if (bytes.length > maxBytes) {
            return Read.refused(HttpProblem.tooLarge("the body is larger than %d bytes".formatted(maxBytes)));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Read.refused(HttpProblem.badRequest("the body is not UTF-8 text"));
        }
        return parse(text);
    }

    private Read parse(String text) {
        String jws = null;
        try (var parser = JSON.createParser(text)) {
            var first = parser.nextToken();
            if (first == null) {
                return refused("the body is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                return refused(shape + "; it is " + describe(first));
            }
            for (var token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                if (!member.equals(parser.currentName())) {
                    return refused(shape + "; it holds another member");
                }
                if (jws != null) {
                    return refused(shape + "; \"%s\" is given more than once".formatted(member));
                }
                var value = parser.nextToken();
                if (value != JsonToken.VALUE_STRING) {
                    return refused(shape + "; \"%s\" is %s".formatted(member, describe(value)));
                }
                jws = parser.getText();
            }
            if (jws == null) {
                return refused(shape + "; \"%s\" is missing".formatted(member));
            }
            if (parser.nextToken() != null) {
                return refused("the body holds more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, so only where it went wrong is told
            var at = e.getLocation();
            return refused(at == null ? "the body is not JSON" : "the body is not JSON (line %d, column %d)".formatted(at.getLineNr(), at.getColumnNr()));
        } catch (IOException e) {
            return refused("the body cannot be read");
        }
        if (!COMPACT_JWS.matcher(jws).matches()) {
            return refused("the %s is not a compact JWS (three base64url parts separated by dots)".formatted(member));
        }
        return Read.jws(jws);
    }

    private static Read refused(String message) {
        return Read.refused(HttpProblem.badRequest(message));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "'" + token.asString() + "'";
        };
    }

    /**
     * What {@link #read} found: a JWS, or the problem the endpoint answers with. Exactly one of the two is present.
     */
    public record Read(String jws, HttpProblem problem) {

        public Read {
            if ((jws == null) == (problem == null)) {
                throw new IllegalArgumentException("a read holds either a JWS or a problem");
            }
        }

        static Read jws(String jws) {
            return new Read(jws, null);
        }

        static Read refused(HttpProblem problem) {
            return new Read(null, problem);
        }

        public boolean failed() {
            return problem != null;
        }
    }
}
