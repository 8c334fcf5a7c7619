package io.kakehashi.core.security;

import io.kakehashi.core.AvailableDataPlanes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.testfixtures.PostgresTestServer;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.junit.annotations.PostgresqlIntegrationTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13, defect 1, through EDC's real DSP path: a provider and a consumer runtime (control plane and embedded data
 * plane each, Kakehashi's vault, EDC's HTTP data plane, PostgreSQL stores) in this JVM. The consumer negotiates an agreement; then, as a
 * member would, it sends the provider a DSP {@code TransferRequestMessage} of its own making.
 * <ul>
 *     <li>Its destination names the provider's vault entry ({@code secretName = kakehashi-did-keys}): the provider
 *     answers 400 naming {@code secretName}, stores no process and logs no secret (before the fix it accepted the
 *     request, resolved the DID private key in its own vault and sent it back in the termination reason).</li>
 *     <li>The provider's own asset names a vault entry whose use fails (staff configured it): the termination reason
 *     the peer receives, the provider's stored process and the log carry no part of the secret.</li>
 * </ul>
 * Every text that leaves (answers, the messages the provider sends, the stored processes, stdout) is scanned for the
 * vault's contents.
 */
@EndToEndTest
@PostgresqlIntegrationTest
class CounterpartyDestinationAttackTest {

    /** Everything the runtimes print (their monitor is EDC's console monitor), kept to be scanned; set up first. */
    private static final ByteArrayOutputStream LOG = captureStandardStreams();

    private static final String API_KEY = "attack-test-management-key";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DID_KEYS = "kakehashi-did-keys";
    private static final String TOKEN_SIGNER = "dataplane-token-signer";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Connector PROVIDER = new Connector("provider");
    private static final Connector CONSUMER = new Connector("consumer");

    @RegisterExtension
    static final RuntimeExtension PROVIDER_RUNTIME = PROVIDER.runtime();
    @RegisterExtension
    static final RuntimeExtension CONSUMER_RUNTIME = CONSUMER.runtime();

    private static CapturingHttpServer attacker;

    @BeforeAll
    static void setUp() {
        attacker = new CapturingHttpServer();
        var vault = PROVIDER_RUNTIME.getService(Vault.class);
        assertThat(vault.storeSecret(DID_KEYS, SecretRedactorTest.JWK).succeeded()).isTrue();
        assertThat(vault.storeSecret(TOKEN_SIGNER, SecretRedactorTest.PEM).succeeded()).isTrue();

        for (var asset : List.of("machines", "leaky")) {
            var body = body().put("@id", asset);
            body.putObject("properties").put("name", asset);
            var address = body.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData")
                    .put("baseUrl", attacker.url() + "/source");
            if (asset.equals("leaky")) {
                // the provider's own staff made this mistake: the source's auth header is a vault entry that is no token
                address.put("authKey", "X-Api-Key").put("secretName", DID_KEYS);
            }
            PROVIDER.post("/v3/assets", body);
        }
        var policy = body().put("@id", "open");
        var odrl = policy.putObject("policy").put("@context", "http://www.w3.org/ns/odrl.jsonld").put("@type", "Set");
        odrl.putArray("permission").addObject().put("action", "use");
        PROVIDER.post("/v3/policydefinitions", policy);
        var definition = body().put("@id", "all").put("accessPolicyId", "open").put("contractPolicyId", "open");
        definition.putArray("assetsSelector");
        PROVIDER.post("/v3/contractdefinitions", definition);
        AvailableDataPlanes.await(PROVIDER_RUNTIME);
    }

    @AfterAll
    static void tearDown() {
        if (attacker != null) {
            attacker.close();
        }
    }

    @Test
    void transferRequest_whenTheDestinationNamesAProviderVaultEntry_shouldAnswer400NamingSecretNameAndLeakNothing() {
        var agreementId = agreementFor("machines");
        var consumerPid = "urn:uuid:" + UUID.randomUUID();
        var destination = dataAddress("HttpData", Map.of(EDC + "baseUrl", attacker.url() + "/sink",
                EDC + "authKey", "X-Leak", EDC + "secretName", DID_KEYS));

        var answer = PROVIDER.dsp("/transfers/request", transferRequest(consumerPid, agreementId, destination));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("secretName");
        assertNoSecret(answer.body());
        assertThat(PROVIDER.transferProcesses()).noneMatch(process -> process.path("correlationId").asText().equals(consumerPid));
        assertNoSecret(PROVIDER.transferProcesses().toString());
        assertNoSecret(String.join("\n", PROVIDER.storedErrorDetails()));
        assertNoSecret(String.join("\n", attacker.received()));
        assertNoSecret(LOG.toString(StandardCharsets.UTF_8));
    }

    @Test
    void transferRequest_whenTheDestinationHasAnUnknownType_shouldAnswer400NamingTheType() {
        var agreementId = agreementFor("machines");
        var destination = dataAddress("File", Map.of(EDC + "path", "/etc/passwd"));

        var answer = PROVIDER.dsp("/transfers/request", transferRequest("urn:uuid:" + UUID.randomUUID(), agreementId, destination));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("'File'");
    }

    @Test
    void transfer_whenTheProvidersOwnSourceNamesAVaultEntryThatFails_shouldTellThePeerAndStoreNoPartOfTheSecret() {
        var agreementId = agreementFor("leaky");
        var consumerPid = "urn:uuid:" + UUID.randomUUID();
        var destination = dataAddress("HttpData", Map.of(EDC + "baseUrl", attacker.url() + "/sink"));

        var answer = PROVIDER.dsp("/transfers/request", transferRequest(consumerPid, agreementId, destination));

        assertThat(answer.statusCode() / 100).as(answer.body()).isEqualTo(2);
        var termination = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            termination[0] = attacker.received().stream().filter(message -> message.contains(consumerPid + "/termination")).findFirst().orElse(null);
            return termination[0] != null;
        });
        // the reason said what went wrong, with the secret it quoted taken out
        assertThat(termination[0]).contains(SecretRedactor.REDACTED);
        assertNoSecret(termination[0]);
        var stored = PROVIDER.transferProcesses().stream()
                .filter(process -> process.path("correlationId").asText().equals(consumerPid)).findFirst().orElseThrow();
        assertThat(stored.path("errorDetail").asText()).contains(SecretRedactor.REDACTED);
        assertNoSecret(stored.toString());
        assertNoSecret(String.join("\n", PROVIDER.storedErrorDetails()));
        assertNoSecret(String.join("\n", attacker.received()));
        assertNoSecret(LOG.toString(StandardCharsets.UTF_8));
    }

    @Test
    void errorResponses_whenTheyWouldQuoteAVaultSecret_shouldAnswerWithItRedacted() {
        // an id that happens to be (a part of) a secret is quoted back by the "not found" answers of EDC's APIs
        var management = PROVIDER.exchangeManagement("/v3/assets/" + SecretRedactorTest.JWK_D);
        var dsp = PROVIDER.dspGet("/transfers/" + SecretRedactorTest.JWK_D);

        assertThat(management.statusCode()).isEqualTo(404);
        assertThat(management.body()).contains(SecretRedactor.REDACTED);
        assertNoSecret(management.body());
        assertThat(dsp.statusCode() / 100).as(dsp.body()).isEqualTo(4);
        assertNoSecret(dsp.body());
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(SecretRedactorTest.JWK_D)
                .doesNotContain(SecretRedactorTest.JWK_D.substring(0, 20))
                .doesNotContain("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
                .doesNotContain(SecretRedactorTest.PEM_LINE_1.substring(10, 40))
                .doesNotContain(SecretRedactorTest.PEM_LINE_2.substring(10, 40));
    }

    private static ObjectNode transferRequest(String consumerPid, String agreementId, ObjectNode dataAddress) {
        var message = MAPPER.createObjectNode();
        message.putArray("@context").add("https://w3id.org/dspace/2025/1/context.jsonld");
        message.put("@type", "TransferRequestMessage").put("consumerPid", consumerPid).put("agreementId", agreementId)
                .put("format", "HttpData-PUSH").put("callbackAddress", attacker.url() + "/callback");
        message.set("dataAddress", dataAddress);
        return message;
    }

    private static ObjectNode dataAddress(String type, Map<String, String> properties) {
        var address = MAPPER.createObjectNode().put("@type", "DataAddress").put("endpointType", type);
        ArrayNode endpointProperties = address.putArray("endpointProperties");
        properties.forEach((name, value) -> endpointProperties.addObject().put("@type", "EndpointProperty").put("name", name).put("value", value));
        return address;
    }

    private static String agreementFor(String assetId) {
        var catalogRequest = body().put("counterPartyAddress", PROVIDER.dspBase()).put("counterPartyId", "provider").put("protocol", PROTOCOL);
        var catalog = CONSUMER.post("/v3/catalog/request", catalogRequest);
        var datasets = catalog.path("dataset").isArray() ? catalog.path("dataset") : MAPPER.createArrayNode().add(catalog.path("dataset"));
        JsonNode dataset = null;
        for (var candidate : datasets) {
            if (candidate.path("@id").asText().equals(assetId)) {
                dataset = candidate;
            }
        }
        assertThat(dataset).as("dataset %s in %s", assetId, catalog).isNotNull();
        var offer = (ObjectNode) (dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy")).deepCopy();
        offer.put("@type", "Offer").put("assigner", catalog.path("participantId").asText()).put("target", assetId);
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", PROVIDER.dspBase()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        var negotiationId = CONSUMER.post("/v3/contractnegotiations", request).path("@id").asText();
        var finalized = CONSUMER.awaitState("/v3/contractnegotiations/" + negotiationId, "FINALIZED");
        // each side keeps the agreement under an id of its own; DSP messages carry the one they share
        var agreement = CONSUMER.get("/v3/contractagreements/" + finalized.path("contractAgreementId").asText());
        assertThat(agreement.path("agreementId").asText()).as("%s", agreement).isNotBlank();
        return agreement.path("agreementId").asText();
    }

    private static ObjectNode body() {
        var body = MAPPER.createObjectNode();
        body.putObject("@context").put("@vocab", EDC);
        return body;
    }

    private static ByteArrayOutputStream captureStandardStreams() {
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(System.out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(System.err, captured), true, StandardCharsets.UTF_8));
        return captured;
    }

    /** Writes to the original stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            original.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            original.write(bytes, offset, length);
            synchronized (copy) {
                copy.write(bytes, offset, length);
            }
        }
    }

    /** One runtime's configuration, ports and HTTP calls. */
    private static final class Connector {
        private final String id;
        private final RuntimeSettings config;

        private Connector(String id) {
            this.id = id;
            config = new RuntimeSettings(id, API_KEY);
            config.put("edc.transfer.proxy.token.signer.privatekey.alias", TOKEN_SIGNER);
            config.put("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier");
            try {
                config.put("kakehashi.vault.path", Files.createTempDirectory("kakehashi-attack-" + id).resolve("vault.p12").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("kakehashi.vault.password", "attack-test-vault-" + id);
            // PostgreSQL, where issue 13 found the secret stored in edc_transfer_process.error_detail (and EDC's SQL
            // store modules on this class path need a datasource anyway)
            POSTGRES.recreateDatabase(database());
            config.put("edc.datasource.default.url", POSTGRES.url(database()));
            config.put("edc.datasource.default.user", POSTGRES.user());
        }

        String database() {
            return "kakehashi_secrets_attack_" + id;
        }

        /** The error details of the transfer processes as PostgreSQL holds them. */
        List<String> storedErrorDetails() {
            try (var connection = POSTGRES.connect(database());
                 var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT coalesce(error_detail, '') FROM edc_transfer_process")) {
                var details = new java.util.ArrayList<String>();
                while (rows.next()) {
                    details.add(rows.getString(1));
                }
                return details;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        RuntimeExtension runtime() {
            return new RuntimePerClassExtension(new EmbeddedRuntime(id, new URL[0])
                    .configurationProvider(() -> ConfigFactory.fromMap(config.asMap())));
        }

        String dspBase() {
            return config.protocolUrl() + "/2025-1";
        }

        /** Sends a DSP message as the consumer, with the mock identity's token for it. */
        HttpResponse<String> dsp(String path, JsonNode message) {
            var token = "{\"region\":\"eu\",\"audience\":\"%s\",\"clientId\":\"consumer\"}".formatted(id);
            return exchange(HttpRequest.newBuilder(URI.create(dspBase() + path)).header("Authorization", token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(message.toString())));
        }

        HttpResponse<String> dspGet(String path) {
            var token = "{\"region\":\"eu\",\"audience\":\"%s\",\"clientId\":\"consumer\"}".formatted(id);
            return exchange(HttpRequest.newBuilder(URI.create(dspBase() + path)).header("Authorization", token).GET());
        }

        HttpResponse<String> exchangeManagement(String path) {
            return exchange(HttpRequest.newBuilder(uri(path)).header("x-api-key", API_KEY).GET());
        }

        JsonNode post(String path, JsonNode body) {
            return management(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        JsonNode get(String path) {
            return management(HttpRequest.newBuilder(uri(path)).GET());
        }

        List<JsonNode> transferProcesses() {
            var all = post("/v3/transferprocesses/request", body().put("@type", "QuerySpec").put("limit", 1000));
            var list = new java.util.ArrayList<JsonNode>();
            all.forEach(list::add);
            return list;
        }

        JsonNode awaitState(String path, String state) {
            var last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                last[0] = management(HttpRequest.newBuilder(uri(path)).GET());
                var now = last[0].path("state").asText();
                if (now.equals("TERMINATED") && !state.equals("TERMINATED")) {
                    throw new AssertionError(path + " terminated: " + last[0]);
                }
                return now.equals(state);
            });
            return last[0];
        }

        private URI uri(String path) {
            return URI.create(config.managementUrl() + path);
        }

        private JsonNode management(HttpRequest.Builder request) {
            var response = exchange(request.header("x-api-key", API_KEY));
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError(response.statusCode() + " " + response.uri() + ": " + response.body());
            }
            try {
                return response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static HttpResponse<String> exchange(HttpRequest.Builder request) {
            try {
                return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
