package io.kakehashi.ai.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobDescriptionJsonTest {

    @Test
    void parse_theReadmesExample_shouldGiveTheJob() {
        var json = """
                {
                  "type": "sql",
                  "parameters": {
                    "query": "SELECT region, count(*) AS machines, avg(temperature) AS avg_temp FROM asset GROUP BY region"
                  }
                }
                """;

        var description = JobDescriptionJson.parse(json).getContent();

        assertThat(description.type()).isEqualTo(JobType.SQL);
        assertThat(description.parameter("query")).hasValueSatisfying(query -> assertThat(query).startsWith("SELECT region"));
        assertThat(description.model()).isEmpty();
    }

    @Test
    void write_thenParse_shouldKeepTypeParametersAndModel() {
        var description = new JobDescription(JobType.EVALUATION, Map.of("task", "classification", "labels", "no,yes"), new byte[]{0, 1, 2, -1});

        var again = JobDescriptionJson.parse(JobDescriptionJson.write(description)).getContent();

        assertThat(again.type()).isEqualTo(JobType.EVALUATION);
        assertThat(again.parameters()).isEqualTo(description.parameters());
        assertThat(again.model()).hasValueSatisfying(model -> assertThat(model).containsExactly(0, 1, 2, -1));
        assertThat(again.descriptionHash()).isEqualTo(description.descriptionHash());
        assertThat(again.modelHash()).isEqualTo(description.modelHash());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"type\": \"shell\"}", "{\"type\": 3}", "{\"type\": \"sql\", \"parameters\": {\"query\": 1}}",
            "{\"type\": \"sql\", \"parameters\": []}", "{\"type\": \"sql\", \"model\": \"***\"}", "{\"type\": \"sql\", \"asset\": \"other\"}"})
    void parse_whenMalformed_shouldFailWithAReason(String json) {
        var result = JobDescriptionJson.parse(json);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).startsWith("job description:");
    }
}
