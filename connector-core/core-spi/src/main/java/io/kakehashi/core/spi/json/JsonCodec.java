package io.kakehashi.core.spi.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the codecs that also work without a connector runtime: the JWS codec, a DID key ring's vault
 * entry, value records that write and read themselves, the issuer tool. Code that runs only inside a runtime takes
 * EDC's {@code TypeManager} mapper through its constructor instead.
 * <p>
 * Its configuration is Jackson's defaults, fixed when the class loads and never changed: map entries written in
 * their map's order (no sorting), no date/time module (a {@code java.time} value is an error, not a guess), unknown
 * properties fail a bound type, and input limits of Jackson's defaults — nesting at most
 * {@value StreamReadConstraints#DEFAULT_MAX_DEPTH} levels, strings at most
 * {@value StreamReadConstraints#DEFAULT_MAX_STRING_LEN} characters, numbers at most
 * {@value StreamReadConstraints#DEFAULT_MAX_NUM_LEN} digits — set here explicitly so that a JVM-wide override of
 * Jackson's defaults does not reach it. What the JWS codec signs is therefore exactly what a plain
 * {@code new ObjectMapper()} writes. The mapper itself is not handed out, only its immutable readers and writers, so
 * nobody can reconfigure it for everybody. Thread-safe.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH)
                            .maxStringLength(StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
                            .maxNumberLength(StreamReadConstraints.DEFAULT_MAX_NUM_LEN)
                            .build())
                    .streamWriteConstraints(StreamWriteConstraints.builder()
                            .maxNestingDepth(StreamWriteConstraints.DEFAULT_MAX_DEPTH)
                            .build())
                    .build())
            .build();
    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectWriter PRETTY_WRITER = MAPPER.writerWithDefaultPrettyPrinter();

    private JsonCodec() {
    }

    /** Reads JSON text: {@code readTree(…)}, or {@code forType(…).readValue(…)} to bind it. */
    public static ObjectReader reader() {
        return READER;
    }

    /** Writes compact JSON text. */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /** Writes JSON text indented for people (files an operator reads). */
    public static ObjectWriter prettyWriter() {
        return PRETTY_WRITER;
    }

    /**
     * The tree of a value as this mapper would write it (maps, lists, strings, numbers, booleans, null).
     *
     * @throws IllegalArgumentException when the value cannot be written
     */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
