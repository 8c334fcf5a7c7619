package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultDocumentTest {

    @Test
    void completedTable_shouldCarryColumnsRowsAndTheProvidersHash() {
        var table = new JobOutput.Table(List.of("region", "n", "avg", "flag", "day"),
                List.of(Arrays.asList("Aichi", 10L, new BigDecimal("41.5"), true, java.time.LocalDate.of(2026, 11, 23)),
                        Arrays.asList("Osaka", 20L, null, false, null)));

        var document = ResultDocument.parse(ResultDocument.completed("job-1", table.hash(), table)).getContent();

        assertThat(document.state()).isEqualTo(JobState.COMPLETED);
        assertThat(document.jobId()).isEqualTo("job-1");
        assertThat(document.resultHash()).isEqualTo(table.hash());
        assertThat(document.result().path("kind").asText()).isEqualTo("table");
        assertThat(document.result().path("rows").toString()).isEqualTo("[[\"Aichi\",10,41.5,true,\"2026-11-23\"],[\"Osaka\",20,null,false,null]]");
    }

    @Test
    void modelUpdate_shouldComeBackAsTheUpdateThatWasSent() {
        var update = new JobOutput.ModelUpdate(new double[]{0.5, -1.25, 3e-9}, 1500);

        var parsed = ResultDocument.parse(ResultDocument.completed("job-2", update.hash(), update)).getContent().modelUpdate().getContent();

        assertThat(parsed.weights()).containsExactly(0.5, -1.25, 3e-9);
        assertThat(parsed.sampleCount()).isEqualTo(1500);
        assertThat(parsed.hash()).isEqualTo(update.hash());
    }

    @Test
    void metricsAndModel_shouldCarryValuesConfusionAndTheOnnxBytes() {
        var metrics = new JobOutput.Metrics(Map.of("accuracy", 0.9), Map.of("yes", Map.of("yes", 9L, "no", 1L)));
        var model = new JobOutput.Model(new byte[]{8, 9}, metrics);

        var document = ResultDocument.parse(ResultDocument.completed("job-3", model.hash(), model)).getContent();

        assertThat(document.result().path("onnx").asText()).isEqualTo("CAk=");
        assertThat(document.result().path("metrics").path("values").path("accuracy").asDouble()).isEqualTo(0.9);
        assertThat(document.result().path("metrics").path("confusion").path("yes").path("no").asLong()).isEqualTo(1);
        assertThat(document.modelUpdate().failed()).isTrue();
    }

    @Test
    void ended_shouldCarryTheReason() {
        var document = ResultDocument.parse(ResultDocument.ended(null, JobState.FAILED, "denied by policy: purpose")).getContent();

        assertThat(document.state()).isEqualTo(JobState.FAILED);
        assertThat(document.reason()).isEqualTo("denied by policy: purpose");
        assertThat(document.jobId()).isNull();
    }

    @Test
    void parse_whenNotAFinalDocument_shouldFailWithAReason() {
        assertThat(parse("not json").getFailureDetail()).contains("not JSON");
        assertThat(parse("[1]").getFailureDetail()).contains("not a JSON object");
        assertThat(parse("{\"state\": \"RUNNING\"}").getFailureDetail()).contains("no final state");
        assertThat(parse("{\"state\": \"DONE\"}").getFailureDetail()).contains("no final state");
        assertThat(parse("{\"state\": \"COMPLETED\"}").getFailureDetail()).contains("no result or hash");
        assertThat(ResultDocument.parse(new byte[0]).failed()).isTrue();
    }

    @Test
    void modelUpdate_whenWeightsAreNotNumbers_shouldFail() {
        var document = parse("{\"state\": \"COMPLETED\", \"resultHash\": \"h\", \"result\": {\"kind\": \"update\", \"weights\": [1, \"x\"], \"sampleCount\": 3}}");

        assertThat(document.getContent().modelUpdate().getFailureDetail()).contains("weight 1");
    }

    private static org.eclipse.edc.spi.result.Result<ResultDocument> parse(String json) {
        return ResultDocument.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
