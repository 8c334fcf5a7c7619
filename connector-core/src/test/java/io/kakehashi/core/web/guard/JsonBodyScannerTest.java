package io.kakehashi.core.web.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBodyScannerTest {

    private final JsonBodyScanner scanner = new JsonBodyScanner(10, 1024);

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void scan_whenAnObjectWithinTheLimits_shouldPass() {
        assertThat(scanner.scan(bytes("{\"a\":[1,{\"b\":\"x\"}],\"c\":null}"), true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "\"x\"", "5", "true"})
    void scan_whenNotAnObjectWhereOneIsExpected_shouldSaySo(String json) {
        assertThat(scanner.scan(bytes(json), true)).hasValueSatisfying(problem -> assertThat(problem).startsWith("the body must be a JSON object, not"));
    }

    @Test
    void scan_whenAnyValueIsAccepted_shouldPassAScalar() {
        assertThat(scanner.scan(bytes("5"), false)).isEmpty();
    }

    @Test
    void scan_whenNestedDeeperThanTheLimit_shouldSaySo() {
        assertThat(scanner.scan(bytes("{\"a\":" + "[".repeat(10) + "]".repeat(10) + "}"), true)).contains("the body is nested deeper than 10 levels");
        assertThat(scanner.scan(bytes("{\"a\":" + "[".repeat(9) + "]".repeat(9) + "}"), true)).isEmpty();
        assertThat(scanner.scan(bytes("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), true)).contains("the body is nested deeper than 10 levels");
    }

    @Test
    void scan_whenAStringOrANameHoldsNul_shouldNameWhere() {
        assertThat(scanner.scan(bytes("{\"a\":{\"b\":\"x\\u0000y\"}}"), true)).contains("a string at /a/b contains the NUL character");
        assertThat(scanner.scan(bytes("{\"a\\u0000\":1}"), true)).hasValueSatisfying(problem -> assertThat(problem).startsWith("a name at"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\":1}}", "{\"a\":1} {}", "<xml/>", "{'a':1}"})
    void scan_whenNotOneJsonValue_shouldSaySo(String json) {
        assertThat(scanner.scan(bytes(json), true)).isPresent();
    }

    @Test
    void scan_whenAStringIsLongerThanJacksonsDefaultLimit_shouldPassWithinTheBodyLimit() {
        var large = new JsonBodyScanner(10, 30_000_000);
        assertThat(large.scan(bytes("{\"model\":\"" + "A".repeat(21_000_000) + "\"}"), true)).isEmpty();
    }
}
