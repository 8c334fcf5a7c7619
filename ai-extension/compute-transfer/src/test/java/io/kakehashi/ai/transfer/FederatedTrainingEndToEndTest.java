package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static io.kakehashi.ai.transfer.TestConnector.MAPPER;
import static io.kakehashi.ai.transfer.TestConnector.constraint;
import static io.kakehashi.ai.transfer.TestConnector.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three connectors in this JVM: the AI vendor coordinates federated averaging over the compute transport across a
 * Japanese machine-tool maker and a German plant operator, each training on its own data under an agreement for
 * {@code ai.training}; a third agreement (the maker's analytics-only offer) refuses its rounds, and the training goes
 * on without it at a quorum of two, saying why it dropped out.
 */
@EndToEndTest
class FederatedTrainingEndToEndTest {

    private static final Path DIR = directory();
    private static final TestConnector MAKER = new TestConnector("jp-machine-tool-maker", DIR);
    private static final TestConnector OPERATOR = new TestConnector("de-plant-operator", DIR);
    private static final TestConnector VENDOR = new TestConnector("ai-vendor", DIR);

    @RegisterExtension
    static final RuntimeExtension MAKER_RUNTIME = MAKER.runtime();
    @RegisterExtension
    static final RuntimeExtension OPERATOR_RUNTIME = OPERATOR.runtime();
    @RegisterExtension
    static final RuntimeExtension VENDOR_RUNTIME = VENDOR.runtime();

    private static String makerTraining;
    private static String operatorTraining;
    private static String makerAnalyticsOnly;

    private static Path directory() {
        try {
            return Files.createDirectories(Path.of("target", "federated-e2e-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Machines whose failures follow temperature and vibration, with some noise; a different seed and shift per holder. */
    private static Path machines(String name, int rows, long seed, double shift) throws IOException {
        var random = new Random(seed);
        var csv = new StringBuilder("temperature,vibration,failed\n");
        for (var i = 0; i < rows; i++) {
            var temperature = 45 + shift + random.nextGaussian() * 10;
            var vibration = 2.5 + random.nextGaussian();
            var failed = (temperature - 60) / 10 + (vibration - 2.5) + random.nextGaussian() * 0.5 > 0 ? 1 : 0;
            csv.append("%.2f,%.3f,%d%n".formatted(temperature, vibration, failed));
        }
        return Files.writeString(DIR.resolve(name), csv);
    }

    @BeforeAll
    static void negotiate() throws IOException {
        MAKER.publish("maker-machines", machines("maker.csv", 400, 1, 10), List.of(constraint("purpose", "eq", "ai.training")));
        MAKER.publish("maker-machines-analytics", machines("maker-analytics.csv", 100, 3, 10), List.of(constraint("purpose", "eq", "analytics")));
        OPERATOR.publish("plant-machines", machines("operator.csv", 300, 2, 20), List.of(constraint("purpose", "eq", "ai.training")));
        makerTraining = VENDOR.negotiate(MAKER, "maker-machines");
        operatorTraining = VENDOR.negotiate(OPERATOR, "plant-machines");
        makerAnalyticsOnly = VENDOR.negotiate(MAKER, "maker-machines-analytics");
    }

    @Test
    void twoRounds_acrossTwoHolders_shouldAverageTheirUpdatesAndReportTheHolderThatRefused() {
        var request = MAPPER.createObjectNode().put("rounds", 2).put("roundDeadline", "PT2M").put("quorum", 2);
        var participants = request.putArray("participants");
        participants.addObject().put("agreementId", makerTraining).put("counterPartyAddress", MAKER.dsp()).put("counterPartyId", MAKER.id);
        participants.addObject().put("agreementId", operatorTraining).put("counterPartyAddress", OPERATOR.dsp()).put("counterPartyId", OPERATOR.id);
        participants.addObject().put("agreementId", makerAnalyticsOnly).put("counterPartyAddress", MAKER.dsp());
        request.putObject("parameters").put("features", "temperature,vibration").put("label", "failed").put("positive", "1")
                .put("means", "60,2.5").put("scales", "10,1").put("epochs", "2");

        var started = VENDOR.raw("POST", "/v3/kakehashi/compute/trainings", request.toString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        var id = ok(started).path("id").asText();
        var training = VENDOR.awaitField("/v3/kakehashi/compute/trainings/" + id, "state", "COMPLETED");

        var reports = training.path("reports");
        assertThat(reports).hasSize(2);
        var maker = "jp-machine-tool-maker (%s)".formatted(makerTraining);
        var operator = "de-plant-operator (%s)".formatted(operatorTraining);
        var refusing = "jp-machine-tool-maker (%s)".formatted(makerAnalyticsOnly);
        for (var report : reports) {
            assertThat(report.path("answered")).hasToString(MAPPER.createArrayNode().add(maker).add(operator).toString());
            assertThat(report.path("dropped").path(refusing).asText()).startsWith("denied by policy").contains("purpose");
            assertThat(report.path("samples").asLong()).isEqualTo(700);
            assertThat(report.path("bytesReceived").asLong()).isEqualTo(2 * (8 + 3 * 8));
            assertThat(report.path("jobs")).hasSize(3);
            assertCompleted(report.path("jobs").path(maker).asText());
            assertCompleted(report.path("jobs").path(operator).asText());
        }
        var weights = training.path("weights");
        assertThat(weights).hasSize(3);
        // failures rise with temperature and vibration: both learned weights are positive
        assertThat(weights.get(1).asDouble()).isPositive();
        assertThat(weights.get(2).asDouble()).isPositive();
        assertThat(MAKER.get("/v3/kakehashi/compute/jobs?agreementId=" + providerAgreement(MAKER, makerTraining)))
                .hasSize(2).allSatisfy(job -> assertThat(job.path("state").asText()).isEqualTo("COMPLETED"));
    }

    @Test
    void badTrainingRequests_shouldBe400WithTheReason() {
        var unknown = "{\"participants\": [{\"agreementId\": \"no-such\", \"counterPartyAddress\": \"%s\"}], \"rounds\": 1, \"roundDeadline\": \"PT1M\", \"parameters\": {\"features\": \"temperature\", \"label\": \"failed\", \"positive\": \"1\"}}"
                .formatted(MAKER.dsp());
        var noRounds = unknown.replace("\"rounds\": 1", "\"rounds\": 0").replace("no-such", makerTraining);
        var badDeadline = unknown.replace("PT1M", "soon").replace("no-such", makerTraining);
        var badWeights = unknown.replace("\"rounds\": 1", "\"rounds\": 1, \"initialWeights\": [1]").replace("no-such", makerTraining);

        assertThat(VENDOR.raw("POST", "/v3/kakehashi/compute/trainings", unknown).body()).contains("no agreement no-such");
        assertThat(VENDOR.raw("POST", "/v3/kakehashi/compute/trainings", noRounds).body()).contains("rounds");
        assertThat(VENDOR.raw("POST", "/v3/kakehashi/compute/trainings", badDeadline).body()).contains("roundDeadline");
        assertThat(VENDOR.raw("POST", "/v3/kakehashi/compute/trainings", badWeights).body()).contains("initialWeights");
        assertThat(VENDOR.raw("POST", "/v3/kakehashi/compute/trainings", badWeights).statusCode()).isEqualTo(400);
        assertThat(VENDOR.raw("GET", "/v3/kakehashi/compute/trainings/no-such", null).statusCode()).isEqualTo(404);
    }

    private static void assertCompleted(String jobId) {
        var job = VENDOR.get("/v3/kakehashi/compute/remote-jobs/" + jobId);
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("COMPLETED");
        assertThat(job.path("type").asText()).isEqualTo("fl-round");
        assertThat(job.path("modelHash").asText()).hasSize(64);
    }

    private static String providerAgreement(TestConnector provider, String vendorAgreementId) {
        var shared = VENDOR.get("/v3/contractagreements/" + vendorAgreementId).path("agreementId").asText();
        for (JsonNode agreement : provider.post("/v3/contractagreements/request", TestConnector.body().put("@type", "QuerySpec"))) {
            if (agreement.path("agreementId").asText().equals(shared)) {
                return agreement.path("@id").asText();
            }
        }
        throw new AssertionError("no agreement " + shared);
    }
}
