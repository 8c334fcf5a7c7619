package io.kakehashi.ai.transfer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The consumer API's submission body: every malformed part is refused with a reason naming it. */
class SubmissionTest {

    private static final String ADDRESS = "http://127.0.0.1:8282/protocol/2025-1";

    @Test
    void parseSubmission_whenComplete_shouldReadEveryPart() {
        var body = """
                {"agreementId": "a-1", "counterPartyAddress": "%s", "counterPartyId": "jp-maker",
                 "job": {"type": "fl-round", "parameters": {"label": "failed"}, "model": "AAEC"}}""".formatted(ADDRESS);

        var submission = RemoteComputeJobs.parseSubmission(body, 64 << 20).getContent();

        assertThat(submission.agreementId()).isEqualTo("a-1");
        assertThat(submission.counterPartyAddress()).isEqualTo(ADDRESS);
        assertThat(submission.counterPartyId()).isEqualTo("jp-maker");
        assertThat(submission.protocol()).isEqualTo(RemoteComputeJobs.DEFAULT_PROTOCOL);
        assertThat(submission.job().model()).contains(new byte[]{0, 1, 2});
    }

    /** Issue 13, defect 8: Jackson's default string limit (20,000,000 characters) refused a model's base64 above ~14.3 MiB. */
    @ParameterizedTest
    @ValueSource(ints = {16 << 20, 64 << 20})
    void parseSubmission_aModelUpToTheLimit_shouldBeRead(int size) {
        var submission = RemoteComputeJobs.parseSubmission(evaluation(size), 64 << 20);

        assertThat(submission.succeeded()).as(submission.getFailureDetail()).isTrue();
        assertThat(submission.getContent().job().model().orElseThrow()).hasSize(size);
    }

    @Test
    void parseSubmission_aModelOverTheLimit_shouldBeRefusedNamingTheLimit() {
        var submission = RemoteComputeJobs.parseSubmission(evaluation((16 << 20) + 1), 16 << 20);

        assertThat(submission.failed()).isTrue();
        assertThat(submission.getFailureDetail()).contains("kakehashi.ai.evaluation.max-model-bytes").contains(String.valueOf(16 << 20));
    }

    @Test
    void parseSubmission_parametersBeyondTheAllowance_shouldBeRefusedNamingTheLimit() {
        var body = """
                {"agreementId": "a-1", "counterPartyAddress": "%s",
                 "job": {"type": "sql", "parameters": {"query": "SELECT 1 %s"}}}""".formatted(ADDRESS, "-".repeat(2 << 20));

        var submission = RemoteComputeJobs.parseSubmission(body, 1024);

        assertThat(submission.failed()).isTrue();
        assertThat(submission.getFailureDetail()).contains("kakehashi.ai.evaluation.max-model-bytes");
    }

    private static String evaluation(int modelBytes) {
        var model = java.util.Base64.getEncoder().encodeToString(new byte[modelBytes]);
        return """
                {"agreementId": "a-1", "counterPartyAddress": "%s",
                 "job": {"type": "evaluation", "parameters": {"task": "regression"}, "model": "%s"}}""".formatted(ADDRESS, model);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "|the body must be a JSON object",
            "{not json|not JSON",
            "[]|must be a JSON object",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"sql\", \"parameters\": {\"query\": \"SELECT 1\"}}, \"extra\": 1}|unknown member 'extra'",
            "{\"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"sql\"}}|agreementId",
            "{\"agreementId\": \" \", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"sql\"}}|agreementId",
            "{\"agreementId\": \"a\", \"job\": {\"type\": \"sql\"}}|counterPartyAddress",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"not a url\", \"job\": {\"type\": \"sql\"}}|counterPartyAddress",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"counterPartyId\": 7, \"job\": {\"type\": \"sql\"}}|counterPartyId",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"protocol\": \"\", \"job\": {\"type\": \"sql\"}}|protocol",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\"}|job: must be an object",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": \"sql\"}|job: must be an object",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"mining\"}}|type must be one of",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"sql\", \"parameters\": {\"query\": 1}}}|must be a string",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"sql\"}}|needs the parameter 'query'",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"evaluation\", \"model\": \"%%%\"}}|base64",
            "{\"agreementId\": \"a\", \"counterPartyAddress\": \"" + ADDRESS + "\", \"job\": {\"type\": \"fl-round\"}}|needs a base64 model",
    })
    void parseSubmission_whenMalformed_shouldSayWhat(String body, String reason) {
        var parsed = RemoteComputeJobs.parseSubmission(body, 64 << 20);

        assertThat(parsed.failed()).isTrue();
        assertThat(parsed.getFailureDetail()).contains(reason);
    }
}
