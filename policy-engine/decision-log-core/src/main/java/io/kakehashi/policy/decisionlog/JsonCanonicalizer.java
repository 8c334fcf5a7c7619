package io.kakehashi.policy.decisionlog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for the values the decision log uses: objects, arrays, strings,
 * booleans, null and integral numbers within ±(2^53 − 1). Anything else is refused with an
 * {@link IllegalArgumentException} rather than serialised in a way another JCS implementation would not
 * reproduce: non-integral or larger numbers (their ECMAScript form needs the full double-to-string algorithm,
 * which the log does not need), and strings that are not valid Unicode (lone surrogates).
 *
 * <p>No maintained JCS library is on Maven Central (the only Java one, io.github.erdtman:java-json-canonicalization,
 * was last released in 2018 against a draft), hence this one. Stateless and thread-safe.
 */
public final class JsonCanonicalizer {

    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf((1L << 53) - 1);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    // duplicate names are an error in JCS's input (I-JSON), so parsing must not quietly keep the last one
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonCanonicalizer() {
    }

    /**
     * Parses JSON text strictly (duplicate member names refused), as the stores and the verifier read entries.
     *
     * @throws IllegalArgumentException when the text is not one JSON value
     */
    public static JsonNode parse(String json) {
        try {
            var node = STRICT.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return STRICT;
    }

    /**
     * The canonical form of the value, as a string; its UTF-8 bytes are what gets hashed or signed.
     */
    public static String canonicalize(JsonNode value) {
        var out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case OBJECT -> writeObject(value, out);
            case ARRAY -> {
                out.append('[');
                var first = true;
                for (var element : value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(element, out);
                }
                out.append(']');
            }
            case STRING -> writeString(value.textValue(), out);
            case BOOLEAN -> out.append(value.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case NUMBER -> writeNumber(value, out);
            default -> throw new IllegalArgumentException("JSON value of type " + value.getNodeType() + " cannot be canonicalized");
        }
    }

    private static void writeObject(JsonNode object, StringBuilder out) {
        var names = new ArrayList<String>(object.size());
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        // RFC 8785 3.2.3: names sort by their UTF-16 code units, which is exactly String.compareTo
        names.sort(String::compareTo);
        out.append('{');
        var first = true;
        for (var name : names) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(name, out);
            out.append(':');
            write(object.get(name), out);
        }
        out.append('}');
    }

    private static void writeNumber(JsonNode number, StringBuilder out) {
        if (number.isIntegralNumber()) {
            var value = number.bigIntegerValue();
            if (value.abs().compareTo(MAX_SAFE_INTEGER) > 0) {
                throw new IllegalArgumentException("integer " + value + " is outside ±(2^53-1) and has no exact JCS form");
            }
            out.append(value);
            return;
        }
        var d = number.doubleValue();
        // an integral double (1.0, -0.0) has the ECMAScript form of the integer; a fraction would need the full
        // shortest-round-trip algorithm of RFC 8785 3.2.2.3, which the log never needs
        if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER.doubleValue()) {
            out.append((long) d);
            return;
        }
        throw new IllegalArgumentException("number " + number.asText() + " is not an integer; the decision log canonicalizes integers only");
    }

    /**
     * Appends the JCS form of the string (quoted, escaped as RFC 8785 says).
     *
     * @throws IllegalArgumentException when the string holds a lone surrogate
     */
    static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw new IllegalArgumentException("string has a lone surrogate at index " + i);
                        }
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw new IllegalArgumentException("string has a lone surrogate at index " + i);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
