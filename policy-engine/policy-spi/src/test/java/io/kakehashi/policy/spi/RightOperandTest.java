package io.kakehashi.policy.spi;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RightOperandTest {

    @Test
    void texts_whenAListOfJsonLdValues_shouldReadTheTexts() {
        var jsonLd = List.of(Json.createObjectBuilder().add("@value", "JP").build(), Json.createValue("EU_EEA"));

        assertThat(RightOperand.texts(jsonLd)).contains(List.of("JP", "EU_EEA"));
    }

    @Test
    void texts_whenOneElementIsNotAText_shouldBeEmpty() {
        assertThat(RightOperand.texts(List.of("JP", Json.createValue(81)))).isEmpty();
    }

    @Test
    void plain_shouldUnwrapTypedValuesAndNumbers() {
        assertThat(RightOperand.plain(Json.createObjectBuilder().add("@value", "2027-03-31").add("@type", "xsd:date").build())).isEqualTo("2027-03-31");
        assertThat(RightOperand.plain(Json.createValue(3))).isEqualTo(3L);
        assertThat(RightOperand.plain(Json.createValue(2.5))).isEqualTo(2.5);
        assertThat(RightOperand.plain(Json.createArrayBuilder().add("P30D").build())).isEqualTo("P30D");
    }

    @Test
    void texts_whenReadBackFromAStore_shouldReadTheTexts() {
        // as PostgreSQL stores return a list operand: maps read back from JSON, in the form they write now and wrote before
        var stored = List.of(Map.of("@value", "analytics"), Map.of("@value", Map.of("chars", "ai.training", "string", "ai.training", "valueType", "STRING")));

        assertThat(RightOperand.texts(stored)).contains(List.of("analytics", "ai.training"));
        assertThat(RightOperand.texts(List.of(Map.of("@value", Map.of("valueType", "NUMBER", "integral", true))))).isEmpty();
    }
}
