package io.kakehashi.policy.decisionlog.runtime;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DenialReasonResponseFilterTest {

    private static final String REASON = "https://w3id.org/dspace/2025/1/reason";

    @Test
    void withReason_whenTheErrorIsGeneric_shouldAppendTheDisclosedReason() {
        var error = Json.createObjectBuilder().add("@type", "TransferError")
                .add(REASON, Json.createArrayBuilder().add("Cannot process TransferRequestMessage because agreement not found or not valid")).build();

        var result = DenialReasonResponseFilter.withReason(error, "denied by policy: count: 1 transfers used of 1 allowed");

        assertThat(result.getJsonArray(REASON).getValuesAs(jakarta.json.JsonString::getString)).containsExactly(
                "Cannot process TransferRequestMessage because agreement not found or not valid",
                "denied by policy: count: 1 transfers used of 1 allowed");
        assertThat(result.getString("@type")).isEqualTo("TransferError");
    }

    @Test
    void withReason_whenTheErrorAlreadyCarriesIt_shouldLeaveItAlone() {
        var error = Json.createObjectBuilder()
                .add(REASON, Json.createArrayBuilder().add("Contract offer is not valid: denied by policy: region: JP is not EU")).build();

        assertThat(DenialReasonResponseFilter.withReason(error, "denied by policy: region: JP is not EU")).isSameAs(error);
    }

    @Test
    void withReason_whenTheErrorHasNoReasonTerm_shouldLeaveItAlone() {
        var error = Json.createObjectBuilder().add("code", "409").build();

        assertThat(DenialReasonResponseFilter.withReason(error, "denied by policy")).isSameAs(error);
    }
}
