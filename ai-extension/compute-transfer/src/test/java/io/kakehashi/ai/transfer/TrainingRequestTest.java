package io.kakehashi.ai.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The training request body: every malformed part is refused with a reason naming it. */
class TrainingRequestTest {

    private static final String VALID = """
            {"participants": [{"agreementId": "a-1", "counterPartyAddress": "http://maker/protocol/2025-1", "counterPartyId": "jp-maker"},
                              {"agreementId": "a-2", "counterPartyAddress": "https://operator/protocol/2025-1"}],
             "rounds": 3, "roundDeadline": "PT90S", "quorum": 1, "initialWeights": [0.1, 0.2, 0.3],
             "parameters": {"features": "temperature,vibration", "label": "failed", "positive": "1", "epsilon": "0.5"}}""";

    @Test
    void parse_whenValid_shouldReadEveryPart() {
        var request = RemoteTrainings.parse(VALID).getContent();

        assertThat(request.participants()).extracting(RemoteTrainings.Holder::agreementId).containsExactly("a-1", "a-2");
        assertThat(request.participants().get(0).counterPartyId()).isEqualTo("jp-maker");
        assertThat(request.rounds()).isEqualTo(3);
        assertThat(request.roundDeadline()).hasSeconds(90);
        assertThat(request.quorum()).isEqualTo(1);
        assertThat(request.initialWeights()).containsExactly(0.1, 0.2, 0.3);
        assertThat(request.parameters()).containsEntry("epsilon", "0.5");
    }

    @Test
    void parse_withoutQuorumAndWeights_shouldWaitForAllAndStartFromZeros() {
        var request = RemoteTrainings.parse(VALID.replace("\"quorum\": 1, \"initialWeights\": [0.1, 0.2, 0.3],", "")).getContent();

        assertThat(request.quorum()).isEqualTo(2);
        assertThat(request.initialWeights()).containsExactly(0, 0, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "|the body must be a JSON object",
            "{oops|not JSON",
            "\"extra\": 1,|unknown member 'extra'",
            "\"participants\": [],|participants:",
            "\"participants\": [{\"agreementId\": \"a-1\"}],|participants[0].counterPartyAddress",
            "\"participants\": [{\"agreementId\": \"a-1\", \"counterPartyAddress\": \"http://m\", \"x\": 1}],|participants[0]:",
            "\"participants\": [{\"agreementId\": \"a-1\", \"counterPartyAddress\": \"http://m\"}, {\"agreementId\": \"a-1\", \"counterPartyAddress\": \"http://n\"}],|listed twice",
            "\"rounds\": 0,|rounds",
            "\"rounds\": 1.5,|rounds",
            "\"rounds\": 1001,|rounds",
            "\"roundDeadline\": \"soon\",|roundDeadline",
            "\"roundDeadline\": \"PT0S\",|roundDeadline: must be positive",
            "\"quorum\": 3,|quorum",
            "\"initialWeights\": [1, 2],|initialWeights: 3 numbers",
            "\"initialWeights\": [1, \"x\", 2],|initialWeights[1]",
            "\"parameters\": {\"features\": \"t\", \"label\": \"failed\"},|parameters.positive",
            "\"parameters\": {\"features\": \"t\", \"label\": \"failed\", \"positive\": 1},|parameters.positive: must be a string",
            "\"parameters\": {\"features\": \"t\", \"label\": \"f\", \"positive\": \"1\", \"round\": \"4\"},|parameters.round",
    })
    void parse_whenMalformed_shouldSayWhat(String change) {
        var parts = change.split("\\|", 2);
        String body;
        if (parts[0].isEmpty() || parts[0].equals("{oops")) {
            body = parts[0];
        } else {
            // the changed member comes first; a later duplicate of it is removed
            var member = parts[0].substring(0, parts[0].indexOf(':'));
            body = "{" + parts[0] + VALID.substring(1).replaceAll("\\s*" + java.util.regex.Pattern.quote(member) + ":\\s*(\\[[^\\]]*\\]|\\{[^}]*\\}|\"[^\"]*\"|[0-9.]+),?", "").replaceAll(",\\s*}\\s*$", "}");
        }

        var parsed = RemoteTrainings.parse(body);

        assertThat(parsed.failed()).as(body).isTrue();
        assertThat(parsed.getFailureDetail()).contains(parts[1]);
    }
}
