package io.kakehashi.policy.decisionlog;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.kakehashi.policy.decisionlog.JsonCanonicalizer.canonicalize;
import static io.kakehashi.policy.decisionlog.JsonCanonicalizer.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonCanonicalizerTest {

    @Nested
    class Strings {

        @Test
        void canonicalize_whenRfc8785StringExample_shouldEscapeExactlyAsSection3222() {
            // the string example of RFC 8785 section 3.2.2.2, as JSON text
            var input = "{\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"}";

            assertThat(canonicalize(parse(input))).isEqualTo("{\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
        }

        @Test
        void canonicalize_shouldUseTheShortEscapesAndLowercaseHexForOtherControls() {
            var input = "[\"\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f\"]";

            assertThat(canonicalize(parse(input))).isEqualTo("[\"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\"]");
        }

        @Test
        void canonicalize_shouldWriteNonAsciiAndSurrogatePairsAsThemselves() {
            assertThat(canonicalize(parse("\"\\u00e9\\ud83d\\ude00\\u65e5\"")))
                    .isEqualTo("\"é\uD83D\uDE00日\"");
        }

        @Test
        void canonicalize_whenALoneSurrogate_shouldRefuse() {
            assertThatThrownBy(() -> canonicalize(parse("\"\\ud83d x\""))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lone surrogate");
        }
    }

    @Nested
    class Objects {

        @Test
        void canonicalize_whenRfc8785SortingExample_shouldOrderNamesByUtf16CodeUnits() {
            // RFC 8785 section 3.2.3: the emoji (U+1F600, D83D DE00) sorts before U+FB33 by code units
            var input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
                    + "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";

            assertThat(canonicalize(parse(input))).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                    + "\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"\uD83D\uDE00\":\"Emoji: Grinning Face\","
                    + "\"\uFB33\":\"Hebrew Letter Dalet With Dagesh\"}");
        }

        @Test
        void canonicalize_shouldSortNestedObjectsAndDropWhitespace() {
            var input = "{ \"b\" : [ 1 , { \"z\" : true , \"a\" : null } ] , \"a\" : false }";

            assertThat(canonicalize(parse(input))).isEqualTo("{\"a\":false,\"b\":[1,{\"a\":null,\"z\":true}]}");
        }

        @Test
        void parse_whenAMemberNameRepeats_shouldRefuse() {
            assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Numbers {

        @Test
        void canonicalize_whenIntegers_shouldWriteTheirShortestDecimal() {
            assertThat(canonicalize(parse("[0,-0,1,-42,9007199254740991,-9007199254740991,1.0,-0.0,1E2]")))
                    .isEqualTo("[0,0,1,-42,9007199254740991,-9007199254740991,1,0,100]");
        }

        @Test
        void canonicalize_whenAFraction_shouldRefuseNamingIt() {
            assertThatThrownBy(() -> canonicalize(parse("[1.5]"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1.5").hasMessageContaining("not an integer");
        }

        @Test
        void canonicalize_whenBeyondTheSafeIntegerRange_shouldRefuse() {
            assertThatThrownBy(() -> canonicalize(parse("9007199254740992"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2^53");
            assertThatThrownBy(() -> canonicalize(parse("1e300"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void canonicalize_whenLiterals_shouldWriteThemAsIs() {
        assertThat(canonicalize(parse("{\"literals\":[null, true, false]}"))).isEqualTo("{\"literals\":[null,true,false]}");
    }
}
