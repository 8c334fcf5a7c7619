package io.kakehashi.core.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CounterpartyReasonTest {

    @Test
    void describe_shouldTakeTheValuesOutOfTheExpandedReasonArray() {
        assertThat(CounterpartyReason.describe("[{\"@value\":\"No dataplane found\"},\"second\"]", null))
                .isEqualTo("Terminated by the counterparty: No dataplane found; second");
        assertThat(CounterpartyReason.describe("plain words", "409")).isEqualTo("Terminated by the counterparty (code 409): plain words");
        assertThat(CounterpartyReason.describe(null, null)).isEqualTo("Terminated by the counterparty, no reason given");
    }

    @Test
    void describe_shouldDropControlAndFormatCharacters() {
        var detail = CounterpartyReason.describe("[\"line\\none\\u0000 \\u202Eevil\\u001b[31m\"]", null);

        assertThat(detail).isEqualTo("Terminated by the counterparty: lineone evil[31m");
    }

    @Test
    void describe_whenTheReasonIsNestedDeeperThanJsonIsRead_shouldKeepItAsText() {
        var reason = "[ ".repeat(2000) + "]".repeat(2000);

        var detail = CounterpartyReason.describe(reason, null);

        assertThat(detail).startsWith("Terminated by the counterparty: [ [ [ ")
                .endsWith(CounterpartyReason.CUT_MARKER.formatted(reason.length()));
    }

    @Test
    void describe_whenTheReasonIsLong_shouldCutItWithAMarker() {
        var detail = CounterpartyReason.describe("x".repeat(5000), null);

        assertThat(detail).endsWith("x" + CounterpartyReason.CUT_MARKER.formatted(5000))
                .hasSizeLessThan(CounterpartyReason.MAX_LENGTH + 100);
    }
}
