package io.kakehashi.core.spi.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwsBodyReaderTest {

    private static final String JWS = "eyJhbGciOiJFUzI1NiJ9.eyJzZXF1ZW5jZSI6MX0.c2lnbmF0dXJl";
    private static final JwsBodyReader READER = new JwsBodyReader("receipt", 256);

    @Nested
    class Size {

        @Test
        void read_whenTheBodyIsExactlyTheLimit_shouldReadIt() {
            var padding = " ".repeat(256 - body(JWS).length());
            var exact = body(JWS) + padding;
            assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize(256);

            assertThat(read(exact).jws()).isEqualTo(JWS);
        }

        @Test
        void read_whenTheBodyIsOneByteOverTheLimit_shouldBe413NamingTheLimit() {
            var over = body(JWS) + " ".repeat(257 - body(JWS).length());

            var read = read(over);

            assertThat(read.failed()).isTrue();
            assertThat(read.problem().status()).isEqualTo(413);
            assertThat(read.problem().type()).isEqualTo("PayloadTooLarge");
            assertThat(read.problem().message()).isEqualTo("the body is larger than 256 bytes");
        }

        @Test
        void read_whenTheBodyNeverEnds_shouldStopOneBytePastTheLimit() {
            var endless = new CountingEndlessStream();

            var read = READER.read(endless);

            assertThat(read.problem().status()).isEqualTo(413);
            assertThat(endless.read).isEqualTo(257);
        }

        @Test
        void read_whenTheStreamFails_shouldBe400() {
            var failing = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("connection reset");
                }
            };

            var read = READER.read(failing);

            assertThat(read.problem().status()).isEqualTo(400);
            assertThat(read.problem().message()).isEqualTo("the body cannot be read");
        }

        @Test
        void new_whenTheLimitIsNotPositive_shouldThrow() {
            assertThatThrownBy(() -> new JwsBodyReader("receipt", 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new JwsBodyReader("receipt", Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Shape {

        @Test
        void read_whenTheBodyIsTheOneMemberHoldingACompactJws_shouldGiveTheJws() {
            assertThat(read(body(JWS)).jws()).isEqualTo(JWS);
            assertThat(read(" \n{ \"receipt\" : \"" + JWS + "\" }\n").jws()).isEqualTo(JWS);
            // an unsecured JWS has an empty signature; refusing it is the verifier's part
            assertThat(read(body("eyJhbGciOiJub25lIn0.eyJzZXF1ZW5jZSI6MX0.")).failed()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\n\t "})
        void read_whenTheBodyIsEmpty_shouldBe400(String text) {
            assertRefused(read(text), "the body is empty");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"receipt\":\"a.b.c\"}]", "\"a.b.c\"", "1", "true", "null"})
        void read_whenTheBodyIsNotAnObject_shouldBe400SayingWhatItIs(String text) {
            assertRefused(read(text), "the body must be {\"receipt\": \"<compact JWS>\"}; it is ");
        }

        @Test
        void read_whenTheMemberIsMissing_shouldBe400NamingIt() {
            assertRefused(read("{}"), "\"receipt\" is missing");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "1.5", "true", "null", "{}", "[\"a.b.c\"]", "{\"receipt\":\"a.b.c\"}"})
        void read_whenTheMemberIsNotAString_shouldBe400SayingWhatItIs(String value) {
            var read = read("{\"receipt\":" + value + "}");

            assertRefused(read, "the body must be {\"receipt\": \"<compact JWS>\"}; \"receipt\" is ");
            assertThat(read.problem().message()).doesNotContain("a.b.c");
        }

        @Test
        void read_whenAnotherMemberIsPresent_shouldBe400WithoutNamingIt() {
            var before = read("{\"secret-name\":\"x\",\"receipt\":\"" + JWS + "\"}");
            var after = read("{\"receipt\":\"" + JWS + "\",\"secret-name\":\"x\"}");

            assertRefused(before, "it holds another member");
            assertRefused(after, "it holds another member");
            assertThat(before.problem().message()).doesNotContain("secret-name");
        }

        @Test
        void read_whenTheMemberIsGivenTwice_shouldBe400RatherThanPickOne() {
            assertRefused(read("{\"receipt\":\"" + JWS + "\",\"receipt\":\"" + JWS + "\"}"), "\"receipt\" is given more than once");
        }

        @Test
        void read_whenSomethingFollowsTheObject_shouldBe400() {
            assertRefused(read(body(JWS) + " {}"), "the body holds more than one JSON value");
            assertRefused(read(body(JWS) + " x"), "the body is not JSON");
        }

        @Test
        void read_whenNestedDeeply_shouldBe400AtTheFirstToken() {
            var deep = 100_000;
            var reader = new JwsBodyReader("receipt", 1 << 20);

            assertRefused(reader.read(stream("[".repeat(deep) + "]".repeat(deep))), "it is an array");
            assertRefused(reader.read(stream("{\"receipt\":" + "[".repeat(deep) + "]".repeat(deep) + "}")), "\"receipt\" is an array");
            assertRefused(reader.read(stream("{\"junk\":" + "{\"a\":".repeat(deep) + "1" + "}".repeat(deep) + "}")), "it holds another member");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"receipt\":", "{\"receipt\":\"a.b.c\"", "{\"receipt\" \"a.b.c\"}", "{receipt:\"a.b.c\"}",
                "{\"receipt\":'a.b.c'}", "{\"receipt\":\"a.b.c\",}", "{\"receipt\":\"a.b.c\"/*x*/}"})
        void read_whenNotJson_shouldBe400SayingWhereWithoutQuotingIt(String text) {
            var read = read(text);

            assertRefused(read, "the body is not JSON");
            assertThat(read.problem().message()).matches("the body is not JSON \\(line \\d+, column \\d+\\)");
        }
    }

    @Nested
    class Text {

        @Test
        void read_whenTheBodyIsNotUtf8_shouldBe400() {
            var latin1 = "{\"receipt\":\"a.b.c\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
            var lone = new byte[]{'{', '"', 'r', '"', ':', '"', (byte) 0xC3, '"', '}'};

            assertRefused(READER.read(new ByteArrayInputStream(latin1)), "the body is not UTF-8 text");
            assertRefused(READER.read(new ByteArrayInputStream(lone)), "the body is not UTF-8 text");
        }

        @Test
        void read_whenTheBodyIsUtf16_shouldBe400() {
            assertThat(READER.read(new ByteArrayInputStream(body(JWS).getBytes(StandardCharsets.UTF_16LE))).failed()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "not-a-jws", "a.b", "a.b.c.d.e", ".b.c", "a..c", "a.b.c ", " a.b.c", "a.b=.c", "a.b.c\\u0000",
                "a.b.c\\u202e", "a.b.c\\r\\nX-Injected: 1", "../../etc/passwd", "a+b.c/d.e"})
        void read_whenTheMemberIsNoCompactJws_shouldBe400WithoutQuotingIt(String value) {
            var read = read("{\"receipt\":\"" + value + "\"}");

            assertRefused(read, "the receipt is not a compact JWS (three base64url parts separated by dots)");
        }
    }

    @Test
    void problemBody_shouldBeEdcsErrorShape() throws Exception {
        var problem = read("[]").problem();

        var body = new ObjectMapper().readTree(problem.body());

        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        assertThat(body.get(0).get("message").asText()).isEqualTo(problem.message());
        assertThat(body.get(0).get("type").asText()).isEqualTo("BadRequest");
    }

    private static void assertRefused(JwsBodyReader.Read read, String message) {
        assertThat(read.failed()).as("refused").isTrue();
        assertThat(read.jws()).isNull();
        assertThat(read.problem().status()).isEqualTo(400);
        assertThat(read.problem().message()).contains(message);
    }

    private static JwsBodyReader.Read read(String text) {
        return READER.read(stream(text));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(String jws) {
        return "{\"receipt\":\"" + jws + "\"}";
    }

    /** Hands out spaces for ever, counting what was taken. */
    private static final class CountingEndlessStream extends InputStream {
        private long read;

        @Override
        public int read() {
            read++;
            return ' ';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            java.util.Arrays.fill(buffer, offset, offset + length, (byte) ' ');
            read += length;
            return length;
        }
    }
}
