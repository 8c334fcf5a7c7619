package io.kakehashi.ai.extension;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.spi.JobDescriptionJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelSizedJsonExtensionTest {

    @Test
    void allowStrings_shouldRaiseTheLimitToTheModelsBase64AndKeepTheOtherLimits() throws Exception {
        var mapper = new ObjectMapper(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100).build()).build());
        var limit = (int) JobDescriptionJson.maxChars(16 << 20);

        ModelSizedJsonExtension.allowStrings(mapper, limit);

        var constraints = mapper.getFactory().streamReadConstraints();
        assertThat(constraints.getMaxStringLength()).isEqualTo(limit).isGreaterThan(StreamReadConstraints.DEFAULT_MAX_STRING_LEN);
        assertThat(constraints.getMaxNestingDepth()).isEqualTo(100);
        // a 16 MiB model's base64 in one string: refused by Jackson's default of 20,000,000 characters
        var model = "A".repeat((int) JobDescriptionJson.base64Chars(16 << 20));
        assertThat(mapper.readTree("{\"model\": \"" + model + "\"}").path("model").asText()).hasSize(model.length());
    }

    @Test
    void allowStrings_shouldNeverLowerALimit() {
        var mapper = new ObjectMapper(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxStringLength(500_000_000).build()).build());

        ModelSizedJsonExtension.allowStrings(mapper, 1000);

        assertThat(mapper.getFactory().streamReadConstraints().getMaxStringLength()).isEqualTo(500_000_000);
    }
}
