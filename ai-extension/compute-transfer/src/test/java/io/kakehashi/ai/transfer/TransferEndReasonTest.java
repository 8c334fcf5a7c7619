package io.kakehashi.ai.transfer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransferEndReasonTest {

    @Test
    void of_whenTheProviderRefusedTheRequest_shouldNameTheCodeAndEveryReason() {
        var detail = "{\"@type\":\"TransferError\",\"code\":\"409\",\"reason\":[\"agreement not valid\",\"denied by policy: count\"],"
                + "\"@context\":[\"https://w3id.org/dspace/2025/1/context.jsonld\"]}";

        assertThat(TransferEndReason.of(detail)).isEqualTo("refused by the provider (409): agreement not valid; denied by policy: count");
    }

    @Test
    void of_whenTheErrorHasOneReasonAsText_shouldNameIt() {
        assertThat(TransferEndReason.of("{\"@type\":\"dspace:TransferError\",\"reason\":\"no such asset\"}"))
                .isEqualTo("refused by the provider: no such asset");
    }

    @Test
    void of_whenEmpty_shouldSayTheProviderTerminatedIt() {
        assertThat(TransferEndReason.of(null)).startsWith("terminated by the provider");
        assertThat(TransferEndReason.of("  ")).startsWith("terminated by the provider");
    }

    @Test
    void of_whenAnotherDetail_shouldKeepItAndBoundItsLength() {
        assertThat(TransferEndReason.of("No callback address found for protocol: x"))
                .isEqualTo("the transfer process ended without a result: No callback address found for protocol: x");
        assertThat(TransferEndReason.of("{\"not\": \"an error\"}")).startsWith("the transfer process ended without a result");
        assertThat(TransferEndReason.of("x".repeat(5000))).hasSizeLessThan(2100);
    }
}
