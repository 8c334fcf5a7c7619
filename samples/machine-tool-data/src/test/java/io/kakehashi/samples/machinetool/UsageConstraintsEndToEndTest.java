package io.kakehashi.samples.machinetool;

import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.WorkDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.kakehashi.samples.support.ManagementClient.constraint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Offers whose policies limit who may use the data, when and how often (Kakehashi's {@code consumerJurisdiction},
 * ODRL's {@code dateTime}, {@code elapsedTime} and {@code count}), negotiated and used between two connectors: what a
 * policy forbids is refused naming the constraint or not shown, what it allows is agreed and delivers, and a malformed
 * constraint is refused when the policy is created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("EndToEndTest")
class UsageConstraintsEndToEndTest {

    private static final String EU_EEA = "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO";

    private final Path workDir = Path.of("target", "e2e", "usage-constraints");
    private MachineToolDataspace dataspace;

    @BeforeAll
    void startDataspace() throws Exception {
        WorkDirectory.clear(workDir);
        dataspace = new MachineToolDataspace(workDir, new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt"))),
                settings -> settings.with("kakehashi.policy.jurisdiction.groups.EU_EEA", EU_EEA)
                        // a checkpoint every few decisions, so that the log of this short run has some to verify
                        .with("kakehashi.decisionlog.checkpoint.entries", "4"));
        dataspace.generateData(2_000);
        // the authority's legal-entity credential says the AI vendor is registered in Japan
        dataspace.startConnectors();
    }

    @AfterAll
    void stop() {
        if (dataspace != null) {
            dataspace.close();
        }
    }

    @Test
    void negotiation_whenTheUseWindowHasClosed_shouldBeRefusedWithTheReason() {
        var closedAt = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        dataspace.provider().management().createPolicy("window-closed", constraint("dateTime", "lteq", closedAt.toString()));
        dataspace.offer("machine-data-closed-window", "window-closed");
        var offer = dataspace.discover("machine-data-closed-window");

        // the consumer learns which constraint failed, in the provider's DSP error
        assertThatThrownBy(() -> dataspace.negotiate(offer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TERMINATED")
                .hasMessageContaining("denied by policy: dateTime");
    }

    @Test
    void negotiation_whenInsideTheUseWindow_shouldBeAgreedAndDeliver() throws Exception {
        dataspace.provider().management().createPolicy("window-open",
                constraint("dateTime", "gteq", "2026-01-01T00:00:00+09:00"),
                constraint("dateTime", "lteq", Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS).toString()),
                constraint("elapsedTime", "lteq", "P30D"));
        dataspace.offer("machine-data-open-window", "window-open");

        var agreementId = dataspace.negotiate(dataspace.discover("machine-data-open-window"));
        var delivery = dataspace.transfer(agreementId, "open-window.csv");

        var source = workDir.resolve("maker-backend").resolve(MachineToolDataspace.DATA_FILE);
        assertThat(Files.mismatch(source, delivery.file())).isEqualTo(-1L);
    }

    @Test
    void transfer_whenTheAgreementsCountIsUsedUp_shouldBeRefused() throws Exception {
        dataspace.provider().management().createPolicy("once", constraint("count", "lteq", "1"));
        dataspace.offer("machine-data-once", "once");
        var agreementId = dataspace.negotiate(dataspace.discover("machine-data-once"));

        var first = dataspace.transfer(agreementId, "once-1.csv");
        assertThat(Files.size(first.file())).isPositive();

        var consumer = dataspace.consumer().management();
        var second = consumer.transferPush(dataspace.providerSettings().dspAddress(), dataspace.providerSettings().participantId(), agreementId,
                "http://127.0.0.1:9/never-written");
        // the same agreement delivered a moment ago; only the count differs. EDC's own DSP error for a refused transfer
        // request is generic; the provider adds the disclosed reason to it
        assertThatThrownBy(() -> consumer.awaitCompleted(second, Duration.ofSeconds(60)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TERMINATED")
                .hasMessageContaining("agreement not found or not valid")
                .hasMessageContaining("denied by policy: count");
    }

    @Test
    void deletionDuty_shouldBeShownByBothSidesAndRefuseTransfersAfterItsDeadline() {
        dataspace.provider().management().createPolicyWithDeletionDuty("delete-within-2s", "PT2S");
        dataspace.offer("machine-data-delete-soon", "delete-within-2s");
        var agreementId = dataspace.negotiate(dataspace.discover("machine-data-delete-soon"));

        // both connectors show the obligation and the same deadline, each under its own id or the shared one
        var consumerView = dataspace.consumer().management().get("/v3/kakehashi/obligations/" + agreementId);
        var providerView = dataspace.provider().management().get("/v3/kakehashi/obligations/" + consumerView.path("agreementId").asText());
        var deadline = consumerView.at("/obligations/0/deadline").asText();
        assertThat(consumerView.at("/obligations/0/action").asText()).isEqualTo("http://www.w3.org/ns/odrl/2/delete");
        assertThat(providerView.at("/obligations/0/deadline").asText()).isEqualTo(deadline);

        var due = Instant.parse(deadline).plusSeconds(1);
        while (Instant.now().isBefore(due)) {
            ConnectorProcess.sleep(100);
        }
        var consumer = dataspace.consumer().management();
        var late = consumer.transferPush(dataspace.providerSettings().dspAddress(), dataspace.providerSettings().participantId(), agreementId,
                "http://127.0.0.1:9/never-written");
        assertThatThrownBy(() -> consumer.awaitCompleted(late, Duration.ofSeconds(60)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TERMINATED")
                .hasMessageContaining("denied by policy: duty: the data was due for deletion by " + deadline);
    }

    @Test
    void negotiation_whenTheConsumersCountryIsAllowed_shouldBeAgreed() {
        dataspace.provider().management().createPolicy("japan-or-eu", constraint("https://w3id.org/kakehashi/policy/consumerJurisdiction", "isAnyOf", List.of("JP", "EU_EEA")));
        dataspace.offer("machine-data-japan-or-eu", "japan-or-eu");

        assertThat(dataspace.negotiate(dataspace.discover("machine-data-japan-or-eu"))).isNotBlank();
    }

    @Test
    void negotiation_whenTheConsumersCountryIsNotAllowed_shouldBeRefusedNamingTheConstraint() {
        dataspace.provider().management().createPolicy("eu-only", constraint("https://w3id.org/kakehashi/policy/consumerJurisdiction", "isAnyOf", List.of("EU_EEA")));
        dataspace.offer("machine-data-eu-only", "eu-only");
        var offer = dataspace.discover("machine-data-eu-only");

        assertThatThrownBy(() -> dataspace.negotiate(offer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TERMINATED")
                .hasMessageContaining("denied by policy:")
                .hasMessageContaining("EU_EEA");
    }

    @Test
    void catalog_whenTheAccessPolicyExcludesTheConsumersCountry_shouldNotShowTheOffer() {
        var api = dataspace.provider().management();
        api.createPolicy("not-japan", constraint("https://w3id.org/kakehashi/policy/consumerJurisdiction", "isNoneOf", List.of("JP")));
        api.createOpenPolicy("any-use");
        dataspace.offer("machine-data-not-for-japan", "not-japan", "any-use");

        assertThatThrownBy(() -> dataspace.discover("machine-data-not-for-japan"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not list machine-data-not-for-japan");
    }

    @Test
    void policyCreation_whenTheWindowIsMalformed_shouldBeA400NamingTheConstraint() {
        var api = dataspace.provider().management();

        assertThatThrownBy(() -> api.createPolicy("window-malformed", constraint("dateTime", "lteq", "next spring")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("dateTime: 'next spring' is not an ISO 8601 date-time");
                });
        assertThatThrownBy(() -> api.createPolicy("elapsed-wrong-operator", constraint("elapsedTime", "gteq", "P30D")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("elapsedTime: operator 'gteq' is not allowed");
                });
        assertThatThrownBy(() -> api.createPolicy("count-zero", constraint("count", "lteq", "0")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.getMessage()).contains("count: the limit must be at least 1"));
        assertThatThrownBy(() -> api.createPolicy("asean", constraint("https://w3id.org/kakehashi/policy/consumerJurisdiction", "isAnyOf", List.of("ASEAN"))))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.getMessage()).contains("'ASEAN' is neither"));
        assertThatThrownBy(() -> api.createPolicy("model-export-maybe", constraint("https://w3id.org/kakehashi/policy/ai.modelExport", "eq", "maybe")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.getMessage()).contains("ai.modelExport: 'maybe' is not true or false"));
        assertThat(api.createPolicy("metrics-only-k10",
                constraint("https://w3id.org/kakehashi/policy/ai.modelExport", "eq", "false"),
                constraint("https://w3id.org/kakehashi/policy/ai.minAggregation", "gteq", "10"))).isEqualTo("metrics-only-k10");
        assertThatThrownBy(() -> api.get("/v3/policydefinitions/window-malformed"))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void policyCreation_whenTheLeftOperandIsUnknown_shouldBeA400() {
        assertThatThrownBy(() -> dataspace.provider().management().createPolicy("unknown-operand", constraint("kakehashi-no-such-operand", "eq", "x")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("not bound");
                });
    }

    @Test
    void decisionLog_shouldShowTheAuditorTheDeniedAndTheAllowedRequestWithReasons() throws Exception {
        var api = dataspace.provider().management();
        api.createPolicy("eu-only-audited", constraint("https://w3id.org/kakehashi/policy/consumerJurisdiction", "isAnyOf", List.of("EU_EEA")));
        dataspace.offer("machine-data-audited-denied", "eu-only-audited");
        api.createOpenPolicy("open-audited");
        dataspace.offer("machine-data-audited-open", "open-audited");
        var denied = dataspace.discover("machine-data-audited-denied");
        assertThatThrownBy(() -> dataspace.negotiate(denied)).hasMessageContaining("TERMINATED");
        dataspace.negotiate(dataspace.discover("machine-data-audited-open"));

        var provider = dataspace.providerSettings();
        var auditor = new AuditorClient(provider.auditorUrl(), provider.auditorKey());
        var refusals = auditor.decisions("asset=machine-data-audited-denied&scope=contract.negotiation&outcome=DENY").path("decisions");
        assertThat(refusals).singleElement().satisfies(decision -> {
            assertThat(decision.at("/entry/counterpartyId").asText()).isEqualTo(dataspace.consumerSettings().participantId());
            assertThat(decision.at("/entry/policyHash").asText()).hasSize(64);
            assertThat(decision.at("/entry/reasons")).anySatisfy(reason -> {
                assertThat(reason.path("constraint").asText()).isEqualTo("consumerJurisdiction");
                assertThat(reason.path("outcome").asText()).isEqualTo("DENY");
                assertThat(reason.path("reason").asText()).contains("EU_EEA");
            });
        });
        var permits = auditor.decisions("asset=machine-data-audited-open&scope=contract.negotiation&outcome=PERMIT").path("decisions");
        // the policy's PERMIT of the request, then the agreement the maker made on it (decision 0039)
        assertThat(permits).hasSize(2).allSatisfy(decision ->
                assertThat(decision.at("/entry/counterpartyId").asText()).isEqualTo(dataspace.consumerSettings().participantId()));
        assertThat(permits.get(0).at("/entry/policyHash").asText()).hasSize(64);
        assertThat(permits.get(1).at("/entry/reasons/0/constraint").asText()).isEqualTo("negotiation.agreed");
        assertThat(permits.get(1).at("/entry/agreementId").asText()).isNotBlank();
        var verification = auditor.verify();
        assertThat(verification.path("intact").asBoolean()).isTrue();
        assertThat(verification.path("checkpointsChecked").asInt()).isPositive();

        // the export verifies offline, with no connector involved, against the connector's key
        var exported = Files.createDirectories(workDir.resolve("audit-export"));
        Files.writeString(exported.resolve("decisions.jsonl"), auditor.exportDecisions());
        Files.writeString(exported.resolve("checkpoints.jsonl"), auditor.exportCheckpoints());
        Files.writeString(exported.resolve("key.jwk.json"), auditor.checkpointKey());
        assertThat(offlineVerify(exported)).startsWith("0 intact:");

        // the auditor API reads only with the auditor's key, never writes, and says what is wrong with a query
        assertThat(auditor.call("GET", "/v1/decisions", provider.managementKey()).statusCode()).isEqualTo(401);
        assertThat(auditor.call("GET", "/v1/decisions", null).statusCode()).isEqualTo(401);
        assertThat(auditor.call("POST", "/v1/decisions").statusCode()).isEqualTo(405);
        assertThat(auditor.call("DELETE", "/v1/decisions/1").statusCode()).isEqualTo(405);
        assertThat(auditor.call("GET", "/v1/decisions?scope=everything").statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> new ManagementClient(provider.managementUrl(), provider.auditorKey()).get("/v3/policydefinitions/open-audited"))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(401));

        // an entry edited on disk is found, at its position
        var position = permits.get(0).path("sequence").asLong();
        var log = provider.decisionLogDirectory().resolve("decisions.jsonl");
        var lines = Files.readAllLines(log);
        var line = lines.get((int) position - 1);
        var edited = line.replace("\"PERMIT\"", "\"DENY\"  ");
        assertThat(edited).hasSameSizeAs(line).isNotEqualTo(line);
        try (var file = new RandomAccessFile(log.toFile(), "rw")) {
            long offset = 0;
            for (var i = 0; i < position - 1; i++) {
                offset += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
            }
            file.seek(offset);
            file.write(edited.getBytes(StandardCharsets.UTF_8));
        }
        var tampered = auditor.verify();
        assertThat(tampered.path("intact").asBoolean()).isFalse();
        assertThat(tampered.path("position").asLong()).isEqualTo(position);
        assertThat(tampered.path("problem").asText()).isEqualTo("HASH_MISMATCH");
    }

    /** Runs the offline verifier command on an export; returns its exit code and output. */
    private static String offlineVerify(Path export) throws Exception {
        var process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ConnectorProcess.launcherJar().toString(), "io.kakehashi.policy.decisionlog.OfflineVerifier",
                "--log", export.resolve("decisions.jsonl").toString(),
                "--checkpoints", export.resolve("checkpoints.jsonl").toString(),
                "--public-key", export.resolve("key.jwk.json").toString())
                .redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.waitFor() + " " + output.trim();
    }
}
