package io.kakehashi.core.spi.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonCodecTest {

    @Nested
    class Reading {

        @Test
        void readTree_whenNestedToTheLimit_shouldRead() throws Exception {
            var node = JsonCodec.reader().readTree(nested(StreamReadConstraints.DEFAULT_MAX_DEPTH));

            assertThat(node.isArray()).isTrue();
        }

        @Test
        void readTree_whenNestedDeeperThanTheLimit_shouldRefuse() {
            assertThatThrownBy(() -> JsonCodec.reader().readTree(nested(StreamReadConstraints.DEFAULT_MAX_DEPTH + 1)))
                    .isInstanceOf(StreamConstraintsException.class)
                    .hasMessageContaining("nesting depth");
        }

        @Test
        void readTree_whenAStringIsLongerThanTheLimit_shouldRefuse() {
            var json = "\"" + "a".repeat(StreamReadConstraints.DEFAULT_MAX_STRING_LEN + 1) + "\"";

            assertThatThrownBy(() -> JsonCodec.reader().readTree(json))
                    .isInstanceOf(StreamConstraintsException.class)
                    .hasMessageContaining("String value length");
        }

        @Test
        void readValue_whenBoundToATypeWithoutTheProperty_shouldRefuse() {
            assertThatThrownBy(() -> JsonCodec.reader().forType(Point.class).readValue("{\"x\":1,\"y\":2,\"z\":3}"))
                    .hasMessageContaining("\"z\"");
        }
    }

    @Nested
    class Writing {

        @Test
        void writeValueAsString_shouldWriteWhatAPlainMapperWrites() throws Exception {
            var value = new LinkedHashMap<String, Object>();
            value.put("z", "last name first");
            value.put("a", List.of(1, 2.5, true, "日本語 \u2028"));
            value.put("m", Map.of("k", 9007199254740993L));
            value.put("n", null);

            var written = JsonCodec.writer().writeValueAsString(value);

            assertThat(written).isEqualTo(new ObjectMapper().writeValueAsString(value))
                    .isEqualTo("{\"z\":\"last name first\",\"a\":[1,2.5,true,\"日本語 \u2028\"],\"m\":{\"k\":9007199254740993},\"n\":null}");
        }

        @Test
        void writeValueAsString_whenAValueIsAJavaTimeType_shouldRefuse() {
            assertThatThrownBy(() -> JsonCodec.writer().writeValueAsString(Map.of("at", Instant.EPOCH)))
                    .isInstanceOf(InvalidDefinitionException.class);
        }

        @Test
        void prettyWriter_shouldIndentAsTheIssuerToolsMapperDid() throws Exception {
            var value = new LinkedHashMap<String, Object>();
            value.put("id", "did:web:example.com");
            value.put("keys", List.of(Map.of("kty", "EC"), Map.of()));
            value.put("empty", List.of());

            assertThat(JsonCodec.prettyWriter().writeValueAsString(value))
                    .isEqualTo(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value))
                    .contains("\n  \"keys\" : [ {");
        }
    }

    public record Point(int x, int y) {
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
