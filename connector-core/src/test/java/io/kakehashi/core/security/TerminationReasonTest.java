package io.kakehashi.core.security;

import io.kakehashi.core.AvailableDataPlanes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every terminal state carries its reason to both sides' management APIs (issue 14), through EDC's real DSP path: a
 * provider and a consumer runtime (control plane and embedded data plane each, PostgreSQL stores) in this JVM. EDC
 * 0.15.1's protocol services drop the reason of an incoming termination message; before the fix each receiving side
 * showed TERMINATED with no {@code errorDetail}.
 * <ul>
 *     <li>The provider cannot start a transfer (no data plane for its type): the consumer's process shows why.</li>
 *     <li>The consumer terminates a running transfer with a reason: the provider's process shows it.</li>
 *     <li>A provider (played by the test) terminates a negotiation with a hostile reason (long, control characters,
 *     a secret of the consumer's vault): the consumer's negotiation shows it cut, cleaned and redacted.</li>
 *     <li>A consumer (played by the test) terminates a negotiation: the provider's negotiation shows the reason.</li>
 * </ul>
 */
@EndToEndTest
@PostgresqlIntegrationTest
class TerminationReasonTest {

    private static final String API_KEY = "termination-test-management-key";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    private static final String DSP_CONTEXT = "https://w3id.org/dspace/2025/1/context.jsonld";
    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CONSUMER_SECRET_ALIAS = "termination-test-secret";

    private static final Connector PROVIDER = new Connector("provider");
    private static final Connector CONSUMER = new Connector("consumer");

    @RegisterExtension
    static final RuntimeExtension PROVIDER_RUNTIME = PROVIDER.runtime();
    @RegisterExtension
    static final RuntimeExtension CONSUMER_RUNTIME = CONSUMER.runtime();

    private static CapturingHttpServer sink;
    private static SilentServer silent;
    private static FakeProvider fakeProvider;

    @BeforeAll
    static void setUp() {
        sink = new CapturingHttpServer();
        silent = new SilentServer();
        fakeProvider = new FakeProvider();
        assertThat(CONSUMER_RUNTIME.getService(Vault.class).storeSecret(CONSUMER_SECRET_ALIAS, SecretRedactorTest.JWK).succeeded()).isTrue();
        for (var asset : Map.of("answers", sink.url() + "/source", "never-answers", silent.url()).entrySet()) {
            var body = body().put("@id", asset.getKey());
            body.putObject("properties").put("name", asset.getKey());
            body.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", asset.getValue());
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
        for (var closeable : new AutoCloseable[]{ sink, silent, fakeProvider }) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void transfer_whenTheProviderCannotStartIt_shouldShowTheProvidersReasonOnTheConsumer() {
        var agreement = negotiate("answers");

        var consumerPid = CONSUMER.post("/v3/transferprocesses", transferRequest(agreement, "Bogus-PUSH")).path("@id").asText();

        var consumerSide = CONSUMER.awaitState("/v3/transferprocesses/" + consumerPid, "TERMINATED");
        var providerSide = PROVIDER.transferProcess(consumerPid);
        assertThat(providerSide.path("errorDetail").asText()).as("%s", providerSide).isNotBlank();
        assertThat(consumerSide.path("errorDetail").asText()).as("%s", consumerSide)
                .startsWith("Terminated by the counterparty: ")
                .contains(providerSide.path("errorDetail").asText());
    }

    @Test
    void transfer_whenTheConsumerTerminatesIt_shouldShowTheConsumersReasonOnTheProvider() {
        var agreement = negotiate("never-answers");
        var consumerPid = CONSUMER.post("/v3/transferprocesses", transferRequest(agreement, "HttpData-PUSH")).path("@id").asText();
        CONSUMER.awaitState("/v3/transferprocesses/" + consumerPid, "STARTED");

        var terminate = body().put("@type", "TerminateTransfer").put("reason", "the consumer's plans changed");
        CONSUMER.post("/v3/transferprocesses/" + consumerPid + "/terminate", terminate);

        CONSUMER.awaitState("/v3/transferprocesses/" + consumerPid, "TERMINATED");
        var detail = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var process = PROVIDER.transferProcess(consumerPid);
            detail[0] = process.path("errorDetail").asText();
            return List.of("TERMINATED", "DEPROVISIONING", "DEPROVISIONED").contains(process.path("state").asText());
        });
        assertThat(detail[0]).isEqualTo("Terminated by the counterparty: the consumer's plans changed");
    }

    @Test
    void negotiation_whenTheProviderTerminatesItWithAHostileReason_shouldShowItCutCleanedAndRedacted() {
        var offer = MAPPER.createObjectNode().put("@type", "Offer").put("@id", "offer-" + UUID.randomUUID())
                .put("assigner", "provider").put("target", "elsewhere");
        offer.putArray("permission").addObject().put("action", "use");
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", fakeProvider.url()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        var consumerPid = CONSUMER.post("/v3/contractnegotiations", request).path("@id").asText();
        CONSUMER.awaitState("/v3/contractnegotiations/" + consumerPid, "REQUESTED");

        var hostile = "refused\n\u0007\u202E because " + SecretRedactorTest.JWK_D + " " + "x".repeat(3000);
        var termination = MAPPER.createObjectNode();
        termination.putArray("@context").add(DSP_CONTEXT);
        termination.put("@type", "ContractNegotiationTerminationMessage").put("consumerPid", consumerPid)
                .put("providerPid", FakeProvider.PROVIDER_PID).put("code", "policy");
        termination.putArray("reason").add(hostile);
        var answer = CONSUMER.dsp("/negotiations/" + consumerPid + "/termination", termination, "provider");
        assertThat(answer.statusCode() / 100).as(answer.body()).isEqualTo(2);

        var negotiation = CONSUMER.get("/v3/contractnegotiations/" + consumerPid);
        assertThat(negotiation.path("state").asText()).isEqualTo("TERMINATED");
        var detail = negotiation.path("errorDetail").asText();
        assertThat(detail).startsWith("Terminated by the counterparty (code policy): refused because ")
                .contains(SecretRedactor.REDACTED).doesNotContain(SecretRedactorTest.JWK_D)
                .doesNotContain("\n").doesNotContain("\u0007").doesNotContain("\u202E")
                .containsPattern(" \\[cut: \\d+ characters in all]$");
        assertThat(detail.length()).isLessThan(CounterpartyReason.MAX_LENGTH + 150);
    }

    @Test
    void negotiation_whenTheConsumerTerminatesIt_shouldShowTheConsumersReasonOnTheProvider() {
        var offerId = catalogOffer("answers").path("@id").asText();
        var consumerPid = "urn:uuid:" + UUID.randomUUID();
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add(DSP_CONTEXT);
        request.put("@type", "ContractRequestMessage").put("consumerPid", consumerPid).put("callbackAddress", sink.url());
        var offer = request.putObject("offer").put("@type", "Offer").put("@id", offerId).put("target", "answers").put("assigner", "provider");
        offer.putArray("permission").addObject().put("action", "use");
        var requested = PROVIDER.dsp("/negotiations/request", request, "consumer");
        assertThat(requested.statusCode() / 100).as(requested.body()).isEqualTo(2);
        var providerPid = json(requested.body()).path("providerPid").asText();
        PROVIDER.awaitState("/v3/contractnegotiations/" + providerPid, "AGREED");

        var termination = MAPPER.createObjectNode();
        termination.putArray("@context").add(DSP_CONTEXT);
        termination.put("@type", "ContractNegotiationTerminationMessage").put("consumerPid", consumerPid).put("providerPid", providerPid);
        termination.putArray("reason").add("the consumer found a better offer");
        var answer = PROVIDER.dsp("/negotiations/" + providerPid + "/termination", termination, "consumer");
        assertThat(answer.statusCode() / 100).as(answer.body()).isEqualTo(2);

        var negotiation = PROVIDER.get("/v3/contractnegotiations/" + providerPid);
        assertThat(negotiation.path("state").asText()).isEqualTo("TERMINATED");
        assertThat(negotiation.path("errorDetail").asText()).isEqualTo("Terminated by the counterparty: the consumer found a better offer");
    }

    private static ObjectNode transferRequest(String agreementId, String transferType) {
        var request = body().put("@type", "TransferRequest").put("counterPartyAddress", PROVIDER.dspBase())
                .put("contractId", agreementId).put("protocol", PROTOCOL).put("transferType", transferType);
        request.putObject("dataDestination").put("type", "HttpData").put("baseUrl", sink.url() + "/sink");
        return request;
    }

    private static JsonNode catalogOffer(String assetId) {
        var catalogRequest = body().put("counterPartyAddress", PROVIDER.dspBase()).put("counterPartyId", "provider").put("protocol", PROTOCOL);
        var catalog = CONSUMER.post("/v3/catalog/request", catalogRequest);
        var datasets = catalog.path("dataset").isArray() ? catalog.path("dataset") : MAPPER.createArrayNode().add(catalog.path("dataset"));
        for (var dataset : datasets) {
            if (dataset.path("@id").asText().equals(assetId)) {
                return dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy");
            }
        }
        throw new AssertionError("no dataset " + assetId + " in " + catalog);
    }

    /** Negotiates an agreement for an asset; answers the consumer's id of it. */
    private static String negotiate(String assetId) {
        var offer = (ObjectNode) catalogOffer(assetId).deepCopy();
        offer.put("@type", "Offer").put("assigner", "provider").put("target", assetId);
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", PROVIDER.dspBase()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        var negotiationId = CONSUMER.post("/v3/contractnegotiations", request).path("@id").asText();
        return CONSUMER.awaitState("/v3/contractnegotiations/" + negotiationId, "FINALIZED").path("contractAgreementId").asText();
    }

    private static ObjectNode body() {
        var body = MAPPER.createObjectNode();
        body.putObject("@context").put("@vocab", EDC);
        return body;
    }

    private static JsonNode json(String text) {
        try {
            return text.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A data source that accepts connections and never answers: a transfer from it stays STARTED. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-source");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:%d/source".formatted(socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (var s : accepted) {
                s.close();
            }
        }
    }

    /** A DSP provider that acknowledges a contract request and then says nothing: the negotiation stays REQUESTED. */
    private static final class FakeProvider implements AutoCloseable {
        static final String PROVIDER_PID = "urn:uuid:fake-provider-negotiation";
        private final HttpServer server;

        FakeProvider() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                try (exchange) {
                    var request = json(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    var ack = MAPPER.createObjectNode();
                    ack.putArray("@context").add(DSP_CONTEXT);
                    ack.put("@type", "ContractNegotiation").put("consumerPid", request.path("consumerPid").asText())
                            .put("providerPid", PROVIDER_PID).put("state", "REQUESTED");
                    var bytes = ack.toString().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(201, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:%d/protocol/2025-1".formatted(server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** One runtime's configuration, ports and HTTP calls. */
    private static final class Connector {
        private final String id;
        private final RuntimeSettings config;

        private Connector(String id) {
            this.id = id;
            config = new RuntimeSettings(id, API_KEY).dataPlaneTokenKeys();
            try {
                config.put("kakehashi.vault.path", Files.createTempDirectory("kakehashi-reasons-" + id).resolve("vault.p12").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("kakehashi.vault.password", "termination-test-vault-" + id);
            var database = "reasons_termination_" + id;
            POSTGRES.recreateDatabase(database);
            config.put("edc.datasource.default.url", POSTGRES.url(database));
            config.put("edc.datasource.default.user", POSTGRES.user());
        }

        RuntimeExtension runtime() {
            return new RuntimePerClassExtension(new EmbeddedRuntime(id, new URL[0])
                    .configurationProvider(() -> ConfigFactory.fromMap(config.asMap())));
        }

        String dspBase() {
            return config.protocolUrl() + "/2025-1";
        }

        /** Sends a DSP message to this runtime as another participant, with the mock identity's token. */
        HttpResponse<String> dsp(String path, JsonNode message, String sender) {
            var token = "{\"region\":\"eu\",\"audience\":\"%s\",\"clientId\":\"%s\"}".formatted(id, sender);
            return exchange(HttpRequest.newBuilder(URI.create(dspBase() + path)).header("Authorization", token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(message.toString())));
        }

        JsonNode post(String path, JsonNode body) {
            return management(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        JsonNode get(String path) {
            return management(HttpRequest.newBuilder(uri(path)).GET());
        }

        /** This provider's process for a consumer's process id. */
        JsonNode transferProcess(String consumerPid) {
            var all = post("/v3/transferprocesses/request", body().put("@type", "QuerySpec").put("limit", 1000));
            for (var process : all) {
                if (process.path("correlationId").asText().equals(consumerPid)) {
                    return process;
                }
            }
            throw new AssertionError("no process for " + consumerPid + " in " + all);
        }

        JsonNode awaitState(String path, String state) {
            var last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                last[0] = get(path);
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
            return json(response.body());
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
