package io.kakehashi.samples.guidelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ContractCalls;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.ManagementClient;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, item 5, between two connectors started from the launcher jar: a retailer (A) holds smart-life e-receipts,
 * personal data whose column {@code customer_id} names the data subject, and a register of its customers' consents.
 * An analyst (B), a verified member of the dataspace {@code smart-life}, agrees to use them for analytics. B's transfer
 * and B's SQL job get only the records of customers whose consent covers analytics and B; under an agreement without
 * a purpose nothing is delivered. When a customer withdraws, A tells B, B's connector deletes that customer's rows from
 * the file it received and answers with a signed receipt, which A verifies; both decision logs show it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("EndToEndTest")
class ConsentEndToEndTest {

    private static final Duration START = Duration.ofMinutes(4);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String SUBJECT_FIELD = "https://w3id.org/kakehashi/consent/dataSubjectField";
    private static final String PURPOSE = "https://w3id.org/kakehashi/policy/purpose";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RECEIPTS = """
            receipt_id,customer_id,store,amount
            r01,alice,ginza,1200
            r02,bob,shibuya,800
            r03,carol,umeda,500
            r04,dave,ginza,300
            r05,erin,ginza,50
            r06,frank,ginza,70
            r07,alice,umeda,900
            r08,gina,ginza,10
            """;

    private final Path workDir = Path.of("target", "e2e", "consent").toAbsolutePath();
    private final List<ConnectorProcess> connectors = new ArrayList<>();
    private final Map<String, String> consents = new HashMap<>();
    private DataspaceAuthority authority;
    private ConnectorSettings retailerSettings;
    private ConnectorSettings analystSettings;
    private ConnectorProcess retailer;
    private ConnectorProcess analyst;
    private FileServer backend;
    private PrintStream out;
    private Path received;

    @BeforeAll
    void start() throws IOException {
        WorkDirectory.clear(workDir);
        out = new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt")), true);
        authority = DataspaceAuthority.start(workDir.resolve("authority"), "authority", out);
        retailerSettings = new ConnectorSettings("retailer", workDir.resolve("retailer")).trustIssuer("connected-industries", authority.did());
        analystSettings = new ConnectorSettings("analyst", workDir.resolve("analyst")).trustIssuer("connected-industries", authority.did());
        authority.issueMembership(retailerSettings, "smart-life");
        authority.issueMembership(analystSettings, "smart-life");

        var data = Files.createDirectories(workDir.resolve("retailer-backend"));
        Files.writeString(data.resolve("receipts.csv"), RECEIPTS);
        backend = FileServer.serve(data);

        for (var settings : List.of(retailerSettings, analystSettings)) {
            connectors.add(ConnectorProcess.launch(List.of(ConnectorProcess.launcherJar()), settings));
        }
        connectors.forEach(c -> c.awaitReady(START));
        retailer = connectors.get(0);
        analyst = connectors.get(1);
        out.printf("retailer %s, analyst %s%n", retailerSettings.did(), analystSettings.did());

        var api = retailer.management();
        api.createAsset("e-receipts", Map.of("name", "Smart-life e-receipts", SUBJECT_FIELD, "customer_id"),
                Map.of("type", "HttpData", "baseUrl", backend.urlOf("receipts.csv")));
        api.createAsset("e-receipts-compute", Map.of("name", "Smart-life e-receipts, for analytics at the retailer", SUBJECT_FIELD, "customer_id"),
                Map.of("type", "File", "path", data.resolve("receipts.csv").toString(), "format", "csv"));
        api.createAsset("e-receipts-any-use", Map.of("name", "Smart-life e-receipts, no purpose named", SUBJECT_FIELD, "customer_id"),
                Map.of("type", "HttpData", "baseUrl", backend.urlOf("receipts.csv")));
        api.createOpenPolicy("open-access");
        api.createPolicy("analytics-only", ManagementClient.constraint(PURPOSE, "eq", "analytics"));
        api.createContractDefinition("e-receipts-offer", "open-access", "analytics-only", "e-receipts");
        api.createContractDefinition("e-receipts-compute-offer", "open-access", "analytics-only", "e-receipts-compute");
        api.createContractDefinition("e-receipts-any-use-offer", "open-access", "open-access", "e-receipts-any-use");

        // the customers' consents, as the retailer's register keeps them
        consent("alice", "{\"subjectId\": \"alice\", \"purposes\": [\"analytics\"], \"recipient\": \"any\"}");
        consent("bob", "{\"subjectId\": \"bob\", \"purposes\": [\"analytics\"], \"recipient\": \"any\", \"grantedAt\": \"2026-01-01T00:00:00Z\","
                + " \"expiresAt\": \"2026-06-30T00:00:00Z\"}");
        consent("carol", "{\"subjectId\": \"carol\", \"purposes\": [\"research\"], \"recipient\": \"any\"}");
        consent("dave", "{\"subjectId\": \"dave\", \"assetId\": \"e-receipts\", \"purposes\": \"analytics\", \"recipient\": \"" + analystSettings.did() + "\"}");
        consent("frank", "{\"subjectId\": \"frank\", \"purposes\": [\"analytics\"], \"recipient\": \"membership:smart-life\"}");
        consent("gina", "{\"subjectId\": \"gina\", \"purposes\": [\"analytics\"], \"recipient\": \"" + retailerSettings.did() + "\"}");
        // erin gave none
        consent("dave-compute", "{\"subjectId\": \"dave\", \"assetId\": \"e-receipts-compute\", \"purposes\": [\"analytics\"], \"recipient\": \""
                + analystSettings.did() + "\"}");
    }

    @AfterAll
    void stop() {
        connectors.forEach(ConnectorProcess::close);
        for (var closeable : new AutoCloseable[]{backend, authority}) {
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
    void transfer_shouldDeliverOnlyTheRecordsOfCustomersWhoseConsentCoversItAndRecordWhy() throws IOException {
        var agreement = agree("e-receipts");
        received = workDir.resolve("analyst-inbox").resolve("receipts.csv");
        var api = analyst.management();
        var transferId = api.transferGrpcPull(retailerSettings.dspAddress(), retailerSettings.participantId(), agreement, received);
        api.awaitCompleted(transferId, STEP);

        var content = Files.readString(received);
        out.println("the analyst received:\n" + content);
        // alice (any), dave (the analyst's DID) and frank (members of smart-life); bob's expired, carol's is for research,
        // gina's names another recipient, erin gave none
        assertThat(content).isEqualTo("""
                receipt_id,customer_id,store,amount
                r01,alice,ginza,1200
                r04,dave,ginza,300
                r06,frank,ginza,70
                r07,alice,umeda,900
                """);

        var decisions = new AuditorClient(retailerSettings.auditorUrl(), retailerSettings.auditorKey()).decisions("scope=transfer.process").path("decisions");
        var consent = reasonOf(decisions, "consent");
        out.println("the retailer's decision: " + consent);
        assertThat(consent).contains("4 of 8 records delivered (3 data subjects)", "1 no consent", "1 expired", "1 for another purpose",
                "1 for another recipient").doesNotContain("alice", "bob", "carol", "erin", "gina");
        var deliveries = retailer.management().get("/v3/kakehashi/consents/deliveries?subjectId=alice");
        assertThat(deliveries).singleElement().satisfies(d -> assertThat(d.path("consumerId").asText()).isEqualTo(analystSettings.did()));
        assertThat(retailer.management().get("/v3/kakehashi/consents/deliveries?subjectId=erin")).isEmpty();
    }

    @Test
    @Order(2)
    void computeJob_shouldReadOnlyTheConsentedRecords() {
        var agreement = agree("e-receipts-compute");
        var api = analyst.management();
        var job = MAPPER.createObjectNode().put("type", "sql");
        job.putObject("parameters").put("query", "SELECT count(*) AS receipts, count(DISTINCT customer_id) AS customers FROM asset");
        var id = api.submitComputeJob(retailerSettings.dspAddress(), retailerSettings.participantId(), agreement, job);
        var done = api.awaitComputeJob(id, STEP);
        out.println("the analyst's SQL job: " + done);
        assertThat(done.path("state").asText()).isEqualTo("COMPLETED");
        var row = api.computeResult(id).path("result").path("rows").get(0);
        // alice's two receipts, dave's (his consent for this asset names the analyst), frank's (smart-life members)
        assertThat(row.get(0).asLong()).isEqualTo(4);
        assertThat(row.get(1).asLong()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void transfer_underAnAgreementWithoutPurpose_shouldDeliverNothingAndSayWhy() {
        var agreement = agree("e-receipts-any-use");
        var api = analyst.management();
        var destination = workDir.resolve("analyst-inbox").resolve("any-use.csv");
        var transferId = api.transferGrpcPull(retailerSettings.dspAddress(), retailerSettings.participantId(), agreement, destination);
        var ended = api.awaitTransferState(transferId, "TERMINATED", STEP);
        out.println("the transfer without purpose: " + ended);
        assertThat(destination).doesNotExist();

        var denials = new AuditorClient(retailerSettings.auditorUrl(), retailerSettings.auditorKey()).decisions("scope=transfer.process&outcome=DENY")
                .path("decisions");
        assertThat(reasonOf(denials, "consent")).contains("asset e-receipts-any-use holds personal data", "names no purpose");
    }

    @Test
    @Order(4)
    void withdrawal_afterDelivery_shouldDeleteTheCustomersRowsAtTheAnalystAndEndWithAVerifiedReceipt() throws IOException {
        var withdrawn = retailer.management().post("/v3/kakehashi/consents/" + consents.get("alice") + "/withdraw", MAPPER.createObjectNode());
        out.println("withdrawn: " + withdrawn);
        assertThat(withdrawn.path("withdrawnAt").isTextual()).isTrue();

        var notices = await(() -> retailer.management().get("/v3/kakehashi/consents/" + consents.get("alice") + "/notices"),
                n -> n.size() == 1 && "CONFIRMED".equals(n.get(0).path("state").asText()), "the analyst's receipt");
        out.println("notices: " + notices);
        assertThat(Files.readString(received)).isEqualTo("""
                receipt_id,customer_id,store,amount
                r04,dave,ginza,300
                r06,frank,ginza,70
                """);
        var receipt = notices.get(0).path("receipt").asText();
        var payload = payload(receipt);
        assertThat(payload.path("cause").asText()).isEqualTo("consent-withdrawn");
        assertThat(payload.path("consumerId").asText()).isEqualTo(analystSettings.did());
        assertThat(payload.path("items")).singleElement().satisfies(item -> assertThat(item.path("deleted").asBoolean()).isTrue());
        assertThat(header(receipt).path("kid").asText()).startsWith(analystSettings.did() + "#");

        var analystLog = new AuditorClient(analystSettings.auditorUrl(), analystSettings.auditorKey()).decisions("scope=deletion").path("decisions");
        out.println("the analyst's decision log: " + analystLog);
        assertThat(reasonOf(analystLog, "consent")).contains("deleted 2 records of one data subject").doesNotContain("alice");
        var retailerAuditor = new AuditorClient(retailerSettings.auditorUrl(), retailerSettings.auditorKey());
        var retailerLog = retailerAuditor.decisions("scope=deletion.receipt").path("decisions");
        out.println("the retailer's decision log: " + retailerLog);
        assertThat(retailerLog).singleElement().satisfies(d -> {
            assertThat(d.at("/entry/counterpartyId").asText()).isEqualTo(analystSettings.did());
            assertThat(d.at("/entry/reasons/0/reason").asText()).contains("consent-withdrawn", "signature verified");
        });
        assertThat(retailerAuditor.verify().path("intact").asBoolean()).isTrue();

        // after the withdrawal, a new transfer leaves alice out from the start
        var again = workDir.resolve("analyst-inbox").resolve("again.csv");
        var api = analyst.management();
        var agreement = agree("e-receipts");
        api.awaitCompleted(api.transferGrpcPull(retailerSettings.dspAddress(), retailerSettings.participantId(), agreement, again), STEP);
        assertThat(Files.readString(again)).doesNotContain("alice").contains("r04,dave", "r06,frank");
    }

    @Test
    @Order(5)
    void consentsApi_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() throws Exception {
        var bad = HTTP.send(HttpRequest.newBuilder(URI.create(retailerSettings.managementUrl() + "/v3/kakehashi/consents"))
                .header("x-api-key", retailerSettings.managementKey()).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"subjectId\": \"henry\", \"purposes\": [\"marketing\"], \"recipient\": \"any\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        out.println("a bad consent: " + bad.statusCode() + " " + bad.body());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(bad.body()).get(0).path("message").asText()).contains("'marketing' is not a known purpose");

        var key = retailerSettings.managementKey();
        var calls = ContractCalls.fetch(retailerSettings.managementUrl(), key, "/openapi/consents.json");
        var created = calls.call("POST", "/v3/kakehashi/consents", "/v3/kakehashi/consents", key, null,
                "{\"subjectId\": \"henry\", \"purposes\": [\"analytics\"], \"recipient\": \"jurisdiction:JP\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}", 201);
        var id = MAPPER.readTree(created.body()).path("id").asText();
        calls.call("POST", "/v3/kakehashi/consents", "/v3/kakehashi/consents", key, null, "{\"subjectId\": \"henry\", \"recipient\": \"any\"}", 400);
        calls.call("POST", "/v3/kakehashi/consents", "/v3/kakehashi/consents", null, null, "{}", 401);
        calls.get("/v3/kakehashi/consents", "/v3/kakehashi/consents?subjectId=henry", 200);
        calls.get("/v3/kakehashi/consents", "/v3/kakehashi/consents?assetId=e-receipts", 200);
        calls.get("/v3/kakehashi/consents", "/v3/kakehashi/consents", 400);
        calls.get("/v3/kakehashi/consents/deliveries", "/v3/kakehashi/consents/deliveries?subjectId=dave", 200);
        calls.get("/v3/kakehashi/consents/deliveries", "/v3/kakehashi/consents/deliveries", 400);
        calls.get("/v3/kakehashi/consents/{id}", "/v3/kakehashi/consents/" + id, 200);
        calls.get("/v3/kakehashi/consents/{id}", "/v3/kakehashi/consents/no-such-consent", 404);
        calls.call("POST", "/v3/kakehashi/consents/{id}/withdraw", "/v3/kakehashi/consents/" + id + "/withdraw", key, null, null, 200);
        calls.call("POST", "/v3/kakehashi/consents/{id}/withdraw", "/v3/kakehashi/consents/no-such-consent/withdraw", key, null, null, 404);
        calls.get("/v3/kakehashi/consents/{id}/notices", "/v3/kakehashi/consents/" + consents.get("alice") + "/notices", 200);
        calls.get("/v3/kakehashi/consents/{id}/notices", "/v3/kakehashi/consents/no-such-consent/notices", 404);
        assertThat(calls.called()).containsAll(calls.documented());
    }

    private void consent(String name, String body) {
        var made = retailer.management().post("/v3/kakehashi/consents", read(body));
        consents.put(name, made.path("id").asText());
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reason a decision gives under the constraint (short) name, from the newest decision that has one. */
    private static String reasonOf(JsonNode decisions, String constraint) {
        String found = null;
        for (var decision : decisions) {
            for (var reason : decision.at("/entry/reasons")) {
                if (constraint.equals(reason.path("constraint").asText()) || reason.path("reason").asText().startsWith(constraint + ":")) {
                    found = reason.path("reason").asText();
                }
            }
        }
        assertThat(found).as("a decision with a '%s' reason in %s", constraint, decisions).isNotNull();
        return found;
    }

    private static JsonNode payload(String jws) {
        try {
            return MAPPER.readTree(JWSObject.parse(jws).getPayload().toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode header(String jws) {
        try {
            return MAPPER.readTree(JWSObject.parse(jws).getHeader().toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode await(Supplier<JsonNode> read, java.util.function.Predicate<JsonNode> done, String what) {
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            ConnectorProcess.sleep(500);
        }
        throw new IllegalStateException("waited for " + what + "; last seen: " + last);
    }

    private String agree(String assetId) {
        var catalog = analyst.management().requestCatalog(retailerSettings.dspAddress(), retailerSettings.participantId());
        ObjectNode offer = null;
        for (JsonNode dataset : ManagementClient.datasets(catalog)) {
            if (assetId.equals(dataset.path("@id").asText())) {
                offer = ManagementClient.contractOffer(catalog, dataset);
            }
        }
        assertThat(offer).as("the retailer's catalog lists " + assetId).isNotNull();
        var negotiation = analyst.management().awaitAgreement(analyst.management().negotiate(retailerSettings.dspAddress(), offer), STEP);
        return negotiation.path("contractAgreementId").asText();
    }
}
