package io.kakehashi.samples.guidelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, item 6, between three connectors: a machine-tool maker (A) provides operation data under a contract that
 * obliges deletion within 30 seconds of signing. The integrator (B) receives the file; at the deadline B's connector
 * deletes it, records the deletion and sends A a receipt signed with its DID key; A verifies and keeps it and both
 * decision logs show it. A second consumer (C) that does not delete in time shows as overdue on A's management and
 * auditor APIs. Receipts that are forged, about an unknown agreement, from another participant, malformed or huge are
 * refused with the reason and not kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("EndToEndTest")
class DeletionConfirmedEndToEndTest {

    private static final Duration START = Duration.ofMinutes(4);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String WINDOW = "PT30S";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path workDir = Path.of("target", "e2e", "deletion-confirmed").toAbsolutePath();
    private DataspaceAuthority authority;
    private ConnectorSettings makerSettings;
    private ConnectorSettings integratorSettings;
    private ConnectorSettings laggardSettings;
    private final List<ConnectorProcess> connectors = new ArrayList<>();
    private ConnectorProcess maker;
    private ConnectorProcess integrator;
    private ConnectorProcess laggard;
    private FileServer makerBackend;
    private PrintStream out;

    private String agreementAB;
    private String agreementAC;
    private Path received;
    private String receivedDigest;

    @BeforeAll
    void start() throws IOException {
        WorkDirectory.clear(workDir);
        out = new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt")), true);
        authority = DataspaceAuthority.start(workDir.resolve("authority"), "authority", out);
        makerSettings = new ConnectorSettings("maker", workDir.resolve("maker")).trustIssuer("connected-industries", authority.did());
        // the integrator checks its deadlines every second; the laggard only every hour, so it misses its deadline here
        integratorSettings = new ConnectorSettings("integrator", workDir.resolve("integrator")).trustIssuer("connected-industries", authority.did())
                .with("kakehashi.deletion.check-interval", "PT1S");
        laggardSettings = new ConnectorSettings("laggard", workDir.resolve("laggard")).trustIssuer("connected-industries", authority.did())
                .with("kakehashi.deletion.check-interval", "PT1H");
        for (var settings : List.of(makerSettings, integratorSettings, laggardSettings)) {
            authority.issueMembership(settings, "connected-industries-manufacturing");
        }

        var makerData = Files.createDirectories(workDir.resolve("maker-backend"));
        var lines = new StringBuilder("machine,time,spindle_rpm\n");
        for (var i = 0; i < 2_000; i++) {
            lines.append("MC-").append(i % 8).append(",2026-11-23T00:00:").append(i % 60).append(',').append(8_000 + i % 500).append('\n');
        }
        Files.writeString(makerData.resolve("operation.csv"), lines);
        makerBackend = FileServer.serve(makerData);

        for (var settings : List.of(makerSettings, integratorSettings, laggardSettings)) {
            connectors.add(ConnectorProcess.launch(List.of(ConnectorProcess.launcherJar()), settings));
        }
        connectors.forEach(c -> c.awaitReady(START));
        maker = connectors.get(0);
        integrator = connectors.get(1);
        laggard = connectors.get(2);
        out.printf("maker %s, integrator %s, laggard %s%n", makerSettings.did(), integratorSettings.did(), laggardSettings.did());

        var api = maker.management();
        api.createAsset("operation-data", Map.of("name", "Machine operation data"), Map.of("type", "HttpData", "baseUrl", makerBackend.urlOf("operation.csv")));
        api.createPolicyWithDeletionDuty("delete-within-30s", WINDOW);
        api.createOpenPolicy("open-access");
        api.createContractDefinition("operation-data-offer", "open-access", "delete-within-30s", "operation-data");

        // both consumers agree and receive the file before the deadline (after it, transfers are refused)
        agreementAB = agree(integrator);
        received = workDir.resolve("integrator-inbox").resolve("operation.csv");
        pull(integrator, agreementAB, received);
        receivedDigest = Sha256.of(received);
        agreementAC = agree(laggard);
        pull(laggard, agreementAC, workDir.resolve("laggard-inbox").resolve("operation.csv"));
        out.printf("agreements: integrator %s, laggard %s%n", agreementAB, agreementAC);
    }

    @AfterAll
    void stop() {
        connectors.forEach(ConnectorProcess::close);
        for (var closeable : new AutoCloseable[]{makerBackend, authority}) {
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
    void consumer_atTheDeadline_shouldDeleteTheFileAndTheProviderKeepTheVerifiedReceipt() {
        var confirmed = await(() -> integrator.management().get("/v3/kakehashi/deletions/" + agreementAB),
                status -> "CONFIRMED".equals(status.path("delivery").asText()), "the integrator's receipt confirmed");
        out.println("integrator's deletion: " + confirmed);
        assertThat(received).doesNotExist();
        assertThat(confirmed.path("state").asText()).isEqualTo("DELETED");

        // each side keeps the agreement under its own id; both know the protocol's
        var kept = maker.management().get("/v3/kakehashi/deletions/" + confirmed.path("protocolAgreementId").asText());
        out.println("maker's view: " + kept);
        assertThat(kept.path("state").asText()).isEqualTo("CONFIRMED");
        assertThat(kept.path("role").asText()).isEqualTo("provider");
        assertThat(kept.path("counterpartyId").asText()).isEqualTo(integratorSettings.did());
        assertThat(kept.path("receiptSha256").asText()).isEqualTo(confirmed.path("receiptSha256").asText());
        var receipt = payload(kept.path("receipt").asText());
        assertThat(receipt.path("cause").asText()).isEqualTo("deadline");
        assertThat(receipt.path("consumerId").asText()).isEqualTo(integratorSettings.did());
        assertThat(receipt.path("items")).singleElement().satisfies(item -> {
            assertThat(item.path("kind").asText()).isEqualTo("FILE");
            assertThat(item.path("sha256").asText()).isEqualTo(receivedDigest);
            assertThat(item.path("deleted").asBoolean()).isTrue();
        });
        assertThat(header(kept.path("receipt").asText()).path("kid").asText()).startsWith(integratorSettings.did() + "#");

        var consumerLog = new AuditorClient(integratorSettings.auditorUrl(), integratorSettings.auditorKey())
                .decisions("scope=deletion&digest=" + receivedDigest).path("decisions");
        out.println("integrator's decision log: " + consumerLog);
        assertThat(consumerLog).singleElement().satisfies(d -> {
            assertThat(d.at("/entry/counterpartyId").asText()).isEqualTo(makerSettings.did());
            assertThat(d.at("/entry/digests/receipt").asText()).isEqualTo(kept.path("receiptSha256").asText());
        });
        var makerAuditor = new AuditorClient(makerSettings.auditorUrl(), makerSettings.auditorKey());
        var providerLog = makerAuditor.decisions("scope=deletion.receipt&digest=" + kept.path("receiptSha256").asText()).path("decisions");
        out.println("maker's decision log: " + providerLog);
        assertThat(providerLog).singleElement().satisfies(d -> {
            assertThat(d.at("/entry/counterpartyId").asText()).isEqualTo(integratorSettings.did());
            assertThat(d.at("/entry/outcome").asText()).isEqualTo("PERMIT");
        });
        assertThat(makerAuditor.verify().path("intact").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void provider_whenAConsumerMissesTheDeadline_shouldReportItOverdueToItsStaffAndAuditors() throws Exception {
        var protocolAgreementId = laggard.management().get("/v3/kakehashi/deletions/" + agreementAC).path("protocolAgreementId").asText();
        var before = maker.management().get("/v3/kakehashi/deletions/" + protocolAgreementId);
        out.println("maker's view of the laggard's agreement: " + before);
        // the laggard's deadline comes a little after the integrator's: DUE until then, OVERDUE once it has passed
        assertThat(before.path("state").asText()).isIn("DUE", "OVERDUE");
        await(() -> maker.management().get("/v3/kakehashi/deletions/" + protocolAgreementId), s -> "OVERDUE".equals(s.path("state").asText()),
                "the laggard's deletion overdue");
        var overdue = maker.management().get("/v3/kakehashi/deletions?state=OVERDUE");
        out.println("maker's overdue deletions: " + overdue);
        assertThat(overdue).singleElement().satisfies(status -> {
            assertThat(status.path("counterpartyId").asText()).isEqualTo(laggardSettings.did());
            assertThat(Instant.parse(status.path("deadline").asText())).isBefore(Instant.now());
        });
        var auditor = new AuditorClient(makerSettings.auditorUrl(), makerSettings.auditorKey());
        var seen = auditor.call("GET", "/v1/deletions?state=OVERDUE");
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(seen.body())).singleElement()
                .satisfies(status -> assertThat(status.path("agreementId").asText()).isEqualTo(overdue.get(0).path("agreementId").asText()));
        assertThat(auditor.call("GET", "/v1/deletions?state=LATE").statusCode()).isEqualTo(400);
        assertThat(auditor.call("GET", "/v1/deletions", null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void provider_whenAReceiptIsForgedForeignUnknownMalformedOrHuge_shouldRefuseItWithTheReasonAndKeepNothing() throws Exception {
        var protocolAgreementId = laggard.management().get("/v3/kakehashi/deletions/" + agreementAC).path("protocolAgreementId").asText();
        // the laggard's own key id, as its DID document publishes it, but another key: the signature does not verify
        var laggardKid = didDocument(laggardSettings.did()).at("/verificationMethod/0/id").asText();
        assertThat(laggardKid).startsWith(laggardSettings.did() + "#");
        var forgedKey = new ECKeyGenerator(Curve.P_256).keyID(laggardKid).generate();
        var forged = post(receipt(protocolAgreementId, laggardSettings.did(), forgedKey));
        out.println("forged: " + forged.statusCode() + " " + forged.body());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("the receipt's signature does not verify with the consumer's key '" + laggardKid + "'");

        var foreignKey = new ECKeyGenerator(Curve.P_256).keyID(integratorSettings.did() + "#key-1").generate();
        var foreign = post(receipt(protocolAgreementId, integratorSettings.did(), foreignKey));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("the receipt names consumer '" + integratorSettings.did() + "', but the agreement's consumer is another participant");

        var unknown = post(receipt("no-such-agreement", laggardSettings.did(), forgedKey));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("agreement 'no-such-agreement' is not an agreement this connector provides");

        var malformed = postBody("{\"receipt\": \"not-a-jws\"}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("the receipt is not a compact JWS");
        assertThat(postBody("[1,2]").statusCode()).isEqualTo(400);
        var huge = postBody("{\"receipt\": \"" + "a".repeat(1_100_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);

        assertThat(maker.management().get("/v3/kakehashi/deletions/" + protocolAgreementId).path("state").asText()).isEqualTo("OVERDUE");
    }

    @Test
    @Order(4)
    void deletionsApi_shouldAnswerEveryDocumentedOperationAsItsDocumentsSay() {
        var protocolAgreementId = laggard.management().get("/v3/kakehashi/deletions/" + agreementAC).path("protocolAgreementId").asText();
        var api = ContractCalls.fetch(makerSettings.managementUrl(), makerSettings.managementKey(), "/openapi/deletions.json");
        api.get("/v3/kakehashi/deletions", "/v3/kakehashi/deletions", 200);
        api.get("/v3/kakehashi/deletions", "/v3/kakehashi/deletions?state=CONFIRMED", 200);
        api.get("/v3/kakehashi/deletions", "/v3/kakehashi/deletions?state=LATE", 400);
        api.get("/v3/kakehashi/deletions/{agreementId}", "/v3/kakehashi/deletions/" + protocolAgreementId, 200);
        api.get("/v3/kakehashi/deletions/{agreementId}", "/v3/kakehashi/deletions/no-such-agreement", 404);
        api.call("GET", "/v3/kakehashi/deletions", "/v3/kakehashi/deletions", null, null, null, 401);
        api.call("GET", "/v3/kakehashi/deletions/{agreementId}", "/v3/kakehashi/deletions/x", makerSettings.auditorKey(), null, null, 401);
        assertThat(api.called()).containsAll(api.documented());

        var auditor = ContractCalls.fetch(makerSettings.auditorUrl(), makerSettings.auditorKey(), "/openapi/deletions.json");
        auditor.get("/v1/deletions", "/v1/deletions?state=OVERDUE", 200);
        auditor.get("/v1/deletions", "/v1/deletions?state=LATE", 400);
        auditor.get("/v1/deletions/{agreementId}", "/v1/deletions/" + protocolAgreementId, 200);
        auditor.get("/v1/deletions/{agreementId}", "/v1/deletions/no-such-agreement", 404);
        auditor.call("GET", "/v1/deletions", "/v1/deletions", makerSettings.managementKey(), null, null, 401);
        auditor.call("GET", "/v1/deletions/{agreementId}", "/v1/deletions/x", null, null, null, 401);
        assertThat(auditor.called()).containsAll(auditor.documented());
    }

    private String receipt(String agreementId, String consumerId, com.nimbusds.jose.jwk.ECKey key) throws Exception {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("agreementId", agreementId);
        payload.put("assetId", "operation-data");
        payload.put("providerId", null);
        payload.put("consumerId", consumerId);
        payload.put("cause", "deadline");
        payload.put("deletedAt", Instant.now().toString());
        payload.put("items", List.of());
        return sign(payload, key);
    }

    private String sign(Map<String, Object> payload, com.nimbusds.jose.jwk.ECKey key) throws Exception {
        payload.put("providerId", makerSettings.did());
        var jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("kakehashi-deletion-receipt+jws")).keyID(key.getKeyID()).build(),
                new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }

    private HttpResponse<String> post(String receipt) throws Exception {
        return postBody(MAPPER.createObjectNode().put("receipt", receipt).toString());
    }

    private HttpResponse<String> postBody(String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(makerSettings.protocolUrl() + "/kakehashi/deletion/v1/receipts")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // did:web:127.0.0.1%3A<port>:identity is served at http://127.0.0.1:<port>/identity/did.json
    private static JsonNode didDocument(String did) throws Exception {
        var url = "http://" + did.substring("did:web:".length()).replace(":", "/").replace("%3A", ":") + "/did.json";
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return MAPPER.readTree(response.body());
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
        var deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
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

    private String agree(ConnectorProcess consumer) {
        var catalog = consumer.management().requestCatalog(makerSettings.dspAddress(), makerSettings.participantId());
        ObjectNode offer = null;
        for (JsonNode dataset : ManagementClient.datasets(catalog)) {
            if ("operation-data".equals(dataset.path("@id").asText())) {
                offer = ManagementClient.contractOffer(catalog, dataset);
            }
        }
        assertThat(offer).as("the maker's catalog lists operation-data").isNotNull();
        var negotiation = consumer.management().awaitAgreement(consumer.management().negotiate(makerSettings.dspAddress(), offer), STEP);
        return negotiation.path("contractAgreementId").asText();
    }

    private void pull(ConnectorProcess consumer, String agreementId, Path destination) {
        var api = consumer.management();
        var transferId = api.transferGrpcPull(makerSettings.dspAddress(), makerSettings.participantId(), agreementId, destination);
        api.awaitCompleted(transferId, STEP);
        await(() -> api.get("/v3/kakehashi/lineage?agreementId=" + agreementId), lineage -> lineage.size() == 1, "lineage of " + transferId);
    }
}
