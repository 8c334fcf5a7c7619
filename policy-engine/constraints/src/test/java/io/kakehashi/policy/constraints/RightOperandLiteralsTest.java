package io.kakehashi.policy.constraints;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RightOperandLiteralsTest {

    private static final String ODRL = "http://www.w3.org/ns/odrl/2/";

    private static JsonObject constraint(jakarta.json.JsonArrayBuilder rightOperand) {
        return Json.createObjectBuilder()
                .add(ODRL + "leftOperand", Json.createArrayBuilder().add(Json.createObjectBuilder().add("@id", "https://w3id.org/kakehashi/policy/compute.jobCount")))
                .add(ODRL + "rightOperand", rightOperand)
                .build();
    }

    private static JsonObject policy(JsonObject constraint) {
        return Json.createObjectBuilder()
                .add("@type", Json.createArrayBuilder().add("https://w3id.org/edc/v0.0.1/ns/PolicyDefinition"))
                .add("https://w3id.org/edc/v0.0.1/ns/policy", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add(ODRL + "permission", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add(ODRL + "constraint", Json.createArrayBuilder().add(constraint))))))
                .build();
    }

    @Test
    void asStrings_shouldWriteNumbersAndBooleansAsStrings() {
        var policy = policy(constraint(Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("@value", 20))
                .add(Json.createObjectBuilder().add("@value", 0.5))
                .add(Json.createObjectBuilder().add("@value", false))
                .add(Json.createObjectBuilder().add("@value", "analytics"))));

        var written = RightOperandLiterals.asStrings(policy).toString();

        assertThat(written).contains("{\"@value\":\"20\"}", "{\"@value\":\"0.5\"}", "{\"@value\":\"false\"}", "{\"@value\":\"analytics\"}")
                .doesNotContain("\"@value\":20", "\"@value\":false");
    }

    @Test
    void asStrings_shouldLeaveEverythingElseAsItIs() {
        var policy = Json.createObjectBuilder(policy(constraint(Json.createArrayBuilder().add(Json.createObjectBuilder().add("@value", "5")))))
                .add("https://w3id.org/edc/v0.0.1/ns/limit", Json.createArrayBuilder().add(Json.createObjectBuilder().add("@value", 7)))
                .build();

        assertThat(RightOperandLiterals.asStrings(policy)).isEqualTo(policy);
    }
}
