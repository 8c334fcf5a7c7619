package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.extension.ComputeJsonLd;
import io.kakehashi.ai.extension.ComputeRequestReader;
import io.kakehashi.ai.spi.InMemoryJsonMapper;
import io.kakehashi.ai.spi.JobType;
import jakarta.json.Json;
import org.eclipse.edc.jsonld.TitaniumJsonLd;
import org.eclipse.edc.runtime.core.validator.JsonObjectValidatorRegistryImpl;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.transform.TypeTransformerRegistryImpl;
import org.eclipse.edc.validator.spi.Violation;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ValidationFailureException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer's compute requests in their JSON-LD form: read through EDC's processor, validators and transformers into
 * the same requests as the plain form; what is wrong is a 400 naming the member.
 */
class ComputeJsonLdRequestsTest {

    private static final String ADDRESS = "http://127.0.0.1:8282/protocol/2025-1";
    private static final String CONTEXT = "\"@context\": {\"@vocab\": \"https://w3id.org/kakehashi/ns#\", \"parameters\": {\"@type\": \"@json\"}, "
            + "\"participants\": {\"@container\": \"@list\"}, \"initialWeights\": {\"@container\": \"@list\"}}";

    private final ComputeRequestReader reader = reader();

    private static ComputeRequestReader reader() {
        var reader = new ComputeRequestReader(new TitaniumJsonLd(new ConsoleMonitor()), new JsonObjectValidatorRegistryImpl(),
                new TypeTransformerRegistryImpl());
        reader.register(RemoteComputeJobs.SUBMISSION_SHAPE, RemoteComputeJobs.Submission.class, body -> RemoteComputeJobs.parseSubmission(body, 1 << 20));
        reader.register(RemoteTrainings.REQUEST_SHAPE, RemoteTrainings.Request.class, RemoteTrainings::parse);
        return reader;
    }

    private RemoteComputeJobs.Submission submission(String body) {
        return reader.read(body, ComputeJsonLd.REMOTE_JOB_REQUEST, RemoteComputeJobs.Submission.class);
    }

    private RemoteTrainings.Request training(String body) {
        return reader.read(body, ComputeJsonLd.TRAINING_REQUEST, RemoteTrainings.Request.class);
    }

    @Nested
    class Submission {

        private static final String PLAIN = """
                {"agreementId": "a-1", "counterPartyAddress": "%s", "counterPartyId": "jp-maker",
                 "job": {"type": "sql", "parameters": {"query": "SELECT plant, count(*) FROM asset GROUP BY plant"}}}""".formatted(ADDRESS);

        @Test
        void read_jsonLd_shouldGiveWhatThePlainFormGives() {
            var jsonLd = submission("""
                    { %s, "@type": "RemoteComputeJobRequest",
                      "agreementId": "a-1", "counterPartyAddress": "%s", "counterPartyId": "jp-maker",
                      "job": {"@type": "ComputeJobDescription", "type": "sql",
                              "parameters": {"query": "SELECT plant, count(*) FROM asset GROUP BY plant"}} }
                    """.formatted(CONTEXT, ADDRESS));

            var plain = submission(PLAIN);

            assertThat(jsonLd.agreementId()).isEqualTo(plain.agreementId()).isEqualTo("a-1");
            assertThat(jsonLd.counterPartyAddress()).isEqualTo(ADDRESS);
            assertThat(jsonLd.counterPartyId()).isEqualTo("jp-maker");
            assertThat(jsonLd.protocol()).isEqualTo(RemoteComputeJobs.DEFAULT_PROTOCOL);
            assertThat(jsonLd.job().type()).isEqualTo(JobType.SQL);
            assertThat(jsonLd.job().descriptionHash()).isEqualTo(plain.job().descriptionHash());
        }

        @Test
        void read_jsonLdWithPrefixedTermsAndNoJsonLiteral_shouldGiveTheSameJob() {
            var jsonLd = submission("""
                    { "@context": {"kh": "https://w3id.org/kakehashi/ns#"}, "@type": "kh:RemoteComputeJobRequest",
                      "kh:agreementId": "a-1", "kh:counterPartyAddress": "%s", "kh:counterPartyId": "jp-maker",
                      "kh:job": {"kh:type": "sql", "kh:parameters": {"kh:query": "SELECT plant, count(*) FROM asset GROUP BY plant"}} }
                    """.formatted(ADDRESS));

            assertThat(jsonLd.job().descriptionHash()).isEqualTo(submission(PLAIN).job().descriptionHash());
        }

        @Test
        void read_jsonLdWithoutTheAgreementOrTheJobsType_shouldBe400NamingBoth() {
            assertThatThrownBy(() -> submission("""
                    { %s, "@type": "RemoteComputeJobRequest", "counterPartyAddress": "%s",
                      "job": {"parameters": {"query": "SELECT 1"}} }
                    """.formatted(CONTEXT, ADDRESS)))
                    .isInstanceOfSatisfying(ValidationFailureException.class, e -> assertThat(e.getViolations()).extracting(Violation::path)
                            .containsExactlyInAnyOrder("agreementId", "job.type"));
        }

        @Test
        void read_jsonLdWithAnUnknownMemberOrType_shouldBe400NamingIt() {
            assertThatThrownBy(() -> submission("""
                    { %s, "@type": "RemoteComputeJobRequest", "agreementId": "a-1", "counterPartyAddress": "%s", "priority": "high",
                      "job": {"@type": "Asset", "type": "sql", "parameters": {"query": "SELECT 1"}} }
                    """.formatted(CONTEXT, ADDRESS)))
                    .isInstanceOfSatisfying(ValidationFailureException.class, e -> assertThat(e.getViolations()).extracting(Violation::path)
                            .containsExactlyInAnyOrder("priority", "job.@type"));
        }

        @Test
        void read_jsonLdWithAnUnknownJobType_shouldBe400SayingSo() {
            assertThatThrownBy(() -> submission("""
                    { %s, "@type": "RemoteComputeJobRequest", "agreementId": "a-1", "counterPartyAddress": "%s",
                      "job": {"type": "mining", "parameters": {}} }
                    """.formatted(CONTEXT, ADDRESS)))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("type must be one of");
        }

        @Test
        void read_jsonLdWithAnAddressThatIsNoUrl_shouldBe400FromTheOneReader() {
            assertThatThrownBy(() -> submission("""
                    { %s, "@type": "RemoteComputeJobRequest", "agreementId": "a-1", "counterPartyAddress": "file:///etc/passwd",
                      "job": {"type": "sql", "parameters": {"query": "SELECT 1"}} }
                    """.formatted(CONTEXT)))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("counterPartyAddress");
        }

        @Test
        void read_plainForm_shouldStayTheAliasWithItsMessages() {
            assertThat(submission(PLAIN).agreementId()).isEqualTo("a-1");
            assertThatThrownBy(() -> submission("{\"agreementId\": \"x\"}")).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("counterPartyAddress");
        }
    }

    @Nested
    class Training {

        @Test
        void read_jsonLd_shouldKeepTheParticipantsInOrderEvenOne() {
            var request = training("""
                    { %s, "@type": "FederatedTrainingRequest", "rounds": 3, "roundDeadline": "PT90S", "quorum": 1,
                      "participants": [{"agreementId": "a-1", "counterPartyAddress": "%s", "counterPartyId": "jp-maker"}],
                      "initialWeights": [0.1, 0.2, 0.3],
                      "parameters": {"features": "temperature,vibration", "label": "failed", "positive": "1"} }
                    """.formatted(CONTEXT, ADDRESS));

            assertThat(request.participants()).extracting(RemoteTrainings.Holder::agreementId).containsExactly("a-1");
            assertThat(request.rounds()).isEqualTo(3);
            assertThat(request.roundDeadline()).hasSeconds(90);
            assertThat(request.initialWeights()).containsExactly(0.1, 0.2, 0.3);
            assertThat(request.parameters()).containsEntry("label", "failed");
        }

        @Test
        void read_jsonLdWithAParticipantMissingItsAddress_shouldBe400NamingIt() {
            assertThatThrownBy(() -> training("""
                    { %s, "@type": "FederatedTrainingRequest", "rounds": 3, "roundDeadline": "PT90S",
                      "participants": [{"agreementId": "a-1", "counterPartyAddress": "%s"}, {"agreementId": "a-2"}],
                      "parameters": {"features": "t", "label": "failed", "positive": "1"} }
                    """.formatted(CONTEXT, ADDRESS)))
                    .isInstanceOfSatisfying(ValidationFailureException.class, e -> assertThat(e.getViolations()).extracting(Violation::path)
                            .containsExactly("participants[1].counterPartyAddress"));
        }

        @Test
        void read_jsonLdOfZeroRounds_shouldBe400FromTheOneReader() {
            assertThatThrownBy(() -> training("""
                    { %s, "@type": "FederatedTrainingRequest", "rounds": 0, "roundDeadline": "PT90S",
                      "participants": [{"agreementId": "a-1", "counterPartyAddress": "%s"}],
                      "parameters": {"features": "t", "label": "failed", "positive": "1"} }
                    """.formatted(CONTEXT, ADDRESS)))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("rounds");
        }
    }

    @Test
    void answers_shouldExpandToKakehashiTerms() throws Exception {
        ObjectMapper mapper = InMemoryJsonMapper.create();
        var now = Instant.parse("2026-12-07T10:00:00Z");
        var stored = new io.kakehashi.ai.spi.RemoteTraining("t-1", io.kakehashi.ai.spi.RemoteTraining.State.COMPLETED, 1, List.of("a-1", "a-2"),
                1, "PT1M", List.of(new io.kakehashi.ai.spi.RemoteTraining.Round(1, List.of("a-1"), Map.of("urn:a-2", "late"), 10, 1, 2, 3,
                Map.of("a-1", "job-9"))), List.of(0.5, -0.25), null, now, now);
        var json = mapper.writeValueAsString(RemoteTrainings.Training.of(stored));

        var expanded = new TitaniumJsonLd(new ConsoleMonitor()).expand(Json.createReader(new StringReader(json)).readObject()).getContent();

        assertThat(expanded.getString("@id")).isEqualTo("t-1");
        assertThat(expanded.getJsonArray("@type").getString(0)).isEqualTo(ComputeJsonLd.KH + "FederatedTraining");
        var round = expanded.getJsonArray(ComputeJsonLd.KH + "reports").getJsonObject(0).getJsonArray("@list").getJsonObject(0);
        // a map of free keys stays a JSON literal, its keys as they are
        assertThat(round.getJsonArray(ComputeJsonLd.KH + "dropped").getJsonObject(0).getJsonObject("@value").getString("urn:a-2")).isEqualTo("late");
        assertThat(expanded.getJsonArray(ComputeJsonLd.KH + "weights").getJsonObject(0).getJsonArray("@list")).hasSize(2);
    }
}
