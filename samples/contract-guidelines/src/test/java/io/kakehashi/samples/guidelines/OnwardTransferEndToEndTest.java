package io.kakehashi.samples.guidelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ContractCalls;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.Sha256;
import io.kakehashi.samples.support.WorkDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kakehashi.samples.support.ManagementClient.constraint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20, items 1 and 2, between three connectors: a machine-tool maker (A) provides operation data to an
 * integrator (B) under an agreement that allows passing it on only to the maker itself; B's connector records where
 * the file came from; B publishes a report derived from it; a third party (C) that asks B for the report is refused,
 * with the reason, and B's decision log shows the refusal to B's auditor; the maker, the one participant the agreement
 * names, negotiates and receives it. A constraint that does not read is refused when the policy is created, and a
 * derived asset under an agreement that forbids any onward transfer cannot be published at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("EndToEndTest")
class OnwardTransferEndToEndTest {

    private static final String ONWARD = "https://w3id.org/kakehashi/policy/onwardTransfer";
    private static final String LEGAL_ID = "https://w3id.org/kakehashi/policy/counterpartyLegalId";
    private static final String DERIVED_FROM = "https://w3id.org/kakehashi/lineage/derivedFrom";
    private static final String DATASPACE = "connected-industries-manufacturing";
    private static final Duration START = Duration.ofMinutes(4);
    private static final Duration STEP = Duration.ofSeconds(60);

    private final Path workDir = Path.of("target", "e2e", "onward-transfer").toAbsolutePath();
    private DataspaceAuthority authority;
    private ConnectorSettings makerSettings;
    private ConnectorSettings integratorSettings;
    private ConnectorSettings thirdSettings;
    private final List<ConnectorProcess> connectors = new ArrayList<>();
    private ConnectorProcess maker;
    private ConnectorProcess integrator;
    private ConnectorProcess third;
    private FileServer makerBackend;
    private FileServer integratorBackend;
    private PrintStream out;

    // what the steps hand on
    private String receivedTransferId;
    private Path received;
    private String agreementAB;

    @BeforeAll
    void start() throws IOException {
        WorkDirectory.clear(workDir);
        out = new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt")), true);
        authority = DataspaceAuthority.start(workDir.resolve("authority"), "authority", out);
        makerSettings = new ConnectorSettings("maker", workDir.resolve("maker")).trustIssuer("connected-industries", authority.did());
        integratorSettings = new ConnectorSettings("integrator", workDir.resolve("integrator")).trustIssuer("connected-industries", authority.did());
        thirdSettings = new ConnectorSettings("third-party", workDir.resolve("third-party")).trustIssuer("connected-industries", authority.did());
        authority.issueMembership(makerSettings, DATASPACE);
        authority.issueLegalEntity(makerSettings, "Nagoya Machine Tools K.K.", "JP", "JCN:1180301018771");
        authority.issueMembership(integratorSettings, DATASPACE);
        authority.issueLegalEntity(integratorSettings, "Kansai Integration K.K.", "JP", "JCN:7010401012347");
        authority.issueMembership(thirdSettings, DATASPACE);
        authority.issueLegalEntity(thirdSettings, "Third Party Analytics K.K.", "JP", "JCN:4010001008772");

        var makerData = Files.createDirectories(workDir.resolve("maker-backend"));
        var lines = new StringBuilder("machine,time,spindle_rpm\n");
        for (var i = 0; i < 5_000; i++) {
            lines.append("MC-").append(i % 8).append(",2026-11-23T00:00:").append(i % 60).append(',').append(8_000 + i % 500).append('\n');
        }
        Files.writeString(makerData.resolve("operation.csv"), lines);
        makerBackend = FileServer.serve(makerData);

        // started together: each waits for the others only when it is asked something
        for (var settings : List.of(makerSettings, integratorSettings, thirdSettings)) {
            connectors.add(ConnectorProcess.launch(List.of(ConnectorProcess.launcherJar()), settings));
        }
        connectors.forEach(c -> c.awaitReady(START));
        maker = connectors.get(0);
        integrator = connectors.get(1);
        third = connectors.get(2);
        out.printf("maker %s, integrator %s, third party %s%n", makerSettings.did(), integratorSettings.did(), thirdSettings.did());
    }

    @AfterAll
    void stop() {
        connectors.forEach(ConnectorProcess::close);
        for (var closeable : new AutoCloseable[]{makerBackend, integratorBackend, authority}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                out.println("closing: " + e.getMessage());
            }
        }
    }

    @Test
    @Order(1)
    void policyCreation_whenTheOnwardTransferOperandDoesNotRead_shouldBeA400SayingWhatIsWrong() {
        var api = maker.management();

        assertThatThrownBy(() -> api.createPolicy("onward-anyone", constraint(ONWARD, "eq", "anyone")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("onwardTransfer: 'anyone' is not 'none', a DID, 'membership:<dataspace>' or 'jurisdiction:<country or group>'");
                });
        assertThatThrownBy(() -> api.createPolicy("onward-asean", constraint(ONWARD, "isAnyOf", List.of("jurisdiction:ASEAN"))))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("onwardTransfer: 'ASEAN' is neither an ISO 3166-1 alpha-2 country code nor a configured group");
                });
        assertThatThrownBy(() -> api.createPolicy("onward-none-of", constraint(ONWARD, "isNoneOf", List.of("none"))))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.getMessage()).contains("onwardTransfer: operator 'isNoneOf' is not allowed (eq, isAnyOf)"));
    }

    @Test
    @Order(2)
    void consumer_shouldRecordWhichAgreementTheFileItReceivedComesFrom() throws IOException {
        agreementAB = agree(maker, makerSettings, "operation-data", "only-back-to-maker",
                constraint(ONWARD, "isAnyOf", List.of(makerSettings.did())));
        received = workDir.resolve("integrator-inbox").resolve("operation.csv");
        receivedTransferId = pull(makerSettings, agreementAB, received);

        var lineage = integrator.management().get("/v3/kakehashi/lineage?agreementId=" + agreementAB);
        out.println("integrator's lineage of " + agreementAB + ": " + lineage);
        assertThat(lineage).singleElement().satisfies(record -> {
            assertThat(record.path("id").asText()).isEqualTo(receivedTransferId);
            assertThat(record.path("kind").asText()).isEqualTo("FILE");
            assertThat(record.path("providerId").asText()).isEqualTo(makerSettings.did());
            assertThat(record.path("assetId").asText()).isEqualTo("operation-data");
            assertThat(record.path("destination").asText()).isEqualTo(received.toString());
            assertThat(record.path("sha256").asText()).isEqualTo(Sha256.of(received));
        });
    }

    @Test
    @Order(3)
    void thirdParty_whenTheAgreementBehindTheDerivedAssetDoesNotNameIt_shouldBeRefusedWithTheReasonAndLogged() throws IOException {
        publishDerivedReport();
        var lineage = integrator.management().get("/v3/kakehashi/lineage/assets/spindle-report");
        assertThat(lineage.at("/derivedFrom/0/id").asText()).isEqualTo(receivedTransferId);
        assertThat(lineage.at("/onwardTransfer/0/allows").asText()).isEqualTo("participants " + makerSettings.did());

        var offer = offerOf(third, integratorSettings, "spindle-report");
        var negotiationId = third.management().negotiate(integratorSettings.dspAddress(), offer);
        var refused = third.management().awaitTerminated(negotiationId, STEP);
        out.println("third party's negotiation: " + refused.path("errorDetail").asText());
        assertThat(refused.path("errorDetail").asText()).contains("onwardTransfer: asset 'spindle-report' derives from " + receivedTransferId)
                .contains("'" + thirdSettings.did() + "' is not among the recipients it may be passed on to");

        var auditor = new AuditorClient(integratorSettings.auditorUrl(), integratorSettings.auditorKey());
        var denials = auditor.decisions("asset=spindle-report&scope=contract.negotiation&outcome=DENY").path("decisions");
        out.println("integrator's decision log: " + denials);
        assertThat(denials).singleElement().satisfies(decision -> {
            assertThat(decision.at("/entry/counterpartyId").asText()).isEqualTo(thirdSettings.did());
            assertThat(decision.at("/entry/counterpartyLegalId").asText()).isEqualTo("JCN:4010001008772");
            assertThat(decision.at("/entry/reasons").toString()).contains("onwardTransfer: asset 'spindle-report' derives from " + receivedTransferId);
        });
        // the integrator's auditor finds the third party's decisions by its corporate number
        var byLegalId = auditor.decisions("legalId=JCN:4010001008772&asset=spindle-report").path("decisions");
        assertThat(byLegalId).isNotEmpty().allSatisfy(decision -> assertThat(decision.at("/entry/counterpartyId").asText()).isEqualTo(thirdSettings.did()));
        assertThat(auditor.verify().path("intact").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void namedParticipant_shouldAgreeAndReceiveTheDerivedAssetWithItsSignedProvenance() throws IOException {
        var offer = offerOf(maker, integratorSettings, "spindle-report");
        var negotiation = maker.management().awaitAgreement(maker.management().negotiate(integratorSettings.dspAddress(), offer), STEP);
        var agreement = negotiation.path("contractAgreementId").asText();
        var report = workDir.resolve("maker-inbox").resolve("spindle-report.csv");
        var transferId = maker.management().transferGrpcPull(integratorSettings.dspAddress(), integratorSettings.participantId(), agreement, report);
        maker.management().awaitCompleted(transferId, STEP);

        assertThat(Files.readString(report)).startsWith("machine,max_spindle_rpm");

        // the report travelled with the integrator's signed provenance statement, which the maker's connector checked and kept
        var deadline = System.nanoTime() + STEP.toNanos();
        var kept = maker.management().get("/v3/kakehashi/provenance?agreementId=" + agreement);
        while (kept.isEmpty() && System.nanoTime() < deadline) {
            ConnectorProcess.sleep(200);
            kept = maker.management().get("/v3/kakehashi/provenance?agreementId=" + agreement);
        }
        out.println("maker's provenance of spindle-report: " + kept);
        assertThat(kept).singleElement().satisfies(statement -> {
            assertThat(statement.at("/payload/exporterId").asText()).isEqualTo(integratorSettings.did());
            assertThat(statement.at("/payload/assetId").asText()).isEqualTo("spindle-report");
            assertThat(statement.at("/payload/sources/0/lineageId").asText()).isEqualTo(receivedTransferId);
            assertThat(statement.at("/payload/sources/0/sha256").asText()).isEqualTo(Sha256.of(received));
            assertThat(statement.at("/payload/sources/0/providerId").asText()).isEqualTo(makerSettings.did());
        });
    }

    @Test
    @Order(5)
    void publishing_whenTheAgreementForbidsAnyOnwardTransfer_shouldBeA400() {
        var agreement = agree(maker, makerSettings, "operation-data-private", "no-onward", constraint(ONWARD, "eq", "none"));
        var file = workDir.resolve("integrator-inbox").resolve("operation-private.csv");
        var transferId = pull(makerSettings, agreement, file);

        assertThatThrownBy(() -> integrator.management().createAsset("private-report", Map.of(DERIVED_FROM, transferId),
                Map.of("type", "HttpData", "baseUrl", "http://127.0.0.1:9/report.csv")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("onwardTransfer: asset 'private-report' derives from " + transferId).contains("passing the data on to nobody");
                });
        assertThatThrownBy(() -> integrator.management().createAsset("unknown-lineage", Map.of(DERIVED_FROM, "no-such-transfer"),
                Map.of("type", "HttpData", "baseUrl", "http://127.0.0.1:9/report.csv")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("derivedFrom: 'no-such-transfer' is not a transfer, compute result or model this connector received");
                });
    }

    @Test
    @Order(6)
    void lineageApi_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() {
        var api = ContractCalls.fetch(integratorSettings.managementUrl(), integratorSettings.managementKey(), "/openapi/lineage.json");

        var byAgreement = api.get("/v3/kakehashi/lineage", "/v3/kakehashi/lineage?agreementId=" + URLEncoder.encode(agreementAB, StandardCharsets.UTF_8), 200);
        assertThat(byAgreement.body()).contains(receivedTransferId);
        api.get("/v3/kakehashi/lineage", "/v3/kakehashi/lineage?agreementId=no-such-agreement", 200);
        api.get("/v3/kakehashi/lineage", "/v3/kakehashi/lineage", 400);
        api.get("/v3/kakehashi/lineage/{id}", "/v3/kakehashi/lineage/" + receivedTransferId, 200);
        api.get("/v3/kakehashi/lineage/{id}", "/v3/kakehashi/lineage/no-such-transfer", 404);
        var report = api.get("/v3/kakehashi/lineage/assets/{assetId}", "/v3/kakehashi/lineage/assets/spindle-report", 200);
        assertThat(report.body()).contains(makerSettings.did());
        api.get("/v3/kakehashi/lineage/assets/{assetId}", "/v3/kakehashi/lineage/assets/no-such-asset", 404);
        api.call("GET", "/v3/kakehashi/lineage/{id}", "/v3/kakehashi/lineage/" + receivedTransferId, null, null, null, 401);
        api.call("GET", "/v3/kakehashi/lineage", "/v3/kakehashi/lineage?agreementId=x", integratorSettings.auditorKey(), null, null, 401);

        assertThat(api.called()).containsAll(api.documented());
    }

    @Test
    @Order(7)
    void negotiation_whenTheOfferRequiresAnotherRegistry_shouldBeRefusedNamingTheConsumersCorporateNumber() {
        assertThatThrownBy(() -> maker.management().createPolicy("jcn-typo", constraint(LEGAL_ID, "eq", "JCN:2180301018771")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("counterpartyLegalId: 'JCN:2180301018771' is not 'jcn:*', 'lei:*' or a valid identifier");
                });

        // only companies with a corporate number: the integrator has one
        assertThat(agree(maker, makerSettings, "jcn-only-data", "jcn-only", constraint(LEGAL_ID, "eq", "jcn:*"))).isNotBlank();

        var api = maker.management();
        api.createAsset("lei-only-data", Map.of("name", "For LEI holders"), Map.of("type", "HttpData", "baseUrl", makerBackend.urlOf("operation.csv")));
        api.createPolicy("lei-only", constraint(LEGAL_ID, "eq", "lei:*"));
        api.createContractDefinition("lei-only-data-offer", "open-access", "lei-only", "lei-only-data");
        var negotiationId = integrator.management().negotiate(makerSettings.dspAddress(), offerOf(integrator, makerSettings, "lei-only-data"));
        var refused = integrator.management().awaitTerminated(negotiationId, STEP);
        out.println("integrator's negotiation for lei-only-data: " + refused.path("errorDetail").asText());
        assertThat(refused.path("errorDetail").asText()).contains("counterpartyLegalId: consumer is JCN:7010401012347, not lei:*");
    }

    // the integrator derives a report (the highest spindle speed per machine) from the file it received, and offers it
    private void publishDerivedReport() throws IOException {
        var max = new java.util.TreeMap<String, Integer>();
        for (var line : Files.readAllLines(received).subList(1, Files.readAllLines(received).size())) {
            var cells = line.split(",");
            max.merge(cells[0], Integer.parseInt(cells[2]), Math::max);
        }
        var reportDir = Files.createDirectories(workDir.resolve("integrator-backend"));
        var report = new StringBuilder("machine,max_spindle_rpm\n");
        max.forEach((machine, rpm) -> report.append(machine).append(',').append(rpm).append('\n'));
        Files.writeString(reportDir.resolve("spindle-report.csv"), report);
        integratorBackend = FileServer.serve(reportDir);
        var api = integrator.management();
        api.createAsset("spindle-report", Map.of("name", "Highest spindle speed per machine", DERIVED_FROM, receivedTransferId),
                Map.of("type", "HttpData", "baseUrl", integratorBackend.urlOf("spindle-report.csv")));
        api.createOpenPolicy("report-open");
        api.createContractDefinition("spindle-report-offer", "report-open", "report-open", "spindle-report");
    }

    /** The maker offers its data under a contract policy with {@code constraints}; the integrator agrees to it. */
    private String agree(ConnectorProcess provider, ConnectorSettings providerSettings, String assetId, String policyId, ObjectNode... constraints) {
        var api = provider.management();
        api.createAsset(assetId, Map.of("name", "Machine operation data"), Map.of("type", "HttpData", "baseUrl", makerBackend.urlOf("operation.csv")));
        api.createPolicy(policyId, constraints);
        if (!exists(api, "/v3/policydefinitions/open-access")) {
            api.createOpenPolicy("open-access");
        }
        api.createContractDefinition(assetId + "-offer", "open-access", policyId, assetId);
        var offer = offerOf(integrator, providerSettings, assetId);
        var negotiation = integrator.management().awaitAgreement(integrator.management().negotiate(providerSettings.dspAddress(), offer), STEP);
        return negotiation.path("contractAgreementId").asText();
    }

    private String pull(ConnectorSettings providerSettings, String agreementId, Path destination) {
        var api = integrator.management();
        var transferId = api.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, destination);
        api.awaitCompleted(transferId, STEP);
        // the lineage is recorded when the process completes; the API answers once it is there
        var deadline = System.nanoTime() + STEP.toNanos();
        while (!exists(api, "/v3/kakehashi/lineage/" + transferId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no lineage for transfer " + transferId);
            }
            ConnectorProcess.sleep(200);
        }
        return transferId;
    }

    private static ObjectNode offerOf(ConnectorProcess consumer, ConnectorSettings provider, String assetId) {
        var catalog = consumer.management().requestCatalog(provider.dspAddress(), provider.participantId());
        for (JsonNode dataset : ManagementClient.datasets(catalog)) {
            if (assetId.equals(dataset.path("@id").asText())) {
                return ManagementClient.contractOffer(catalog, dataset);
            }
        }
        throw new IllegalStateException(provider.name() + "'s catalog does not list " + assetId + ": " + catalog);
    }

    private static boolean exists(ManagementClient api, String path) {
        try {
            api.get(path);
            return true;
        } catch (ManagementClient.ManagementApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }
}
