package io.kakehashi.core.statemachine;

import io.kakehashi.core.AvailableDataPlanes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.kakehashi.testfixtures.PostgresTestServer;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.junit.annotations.PostgresqlIntegrationTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A provider and a consumer runtime (control plane and embedded data plane each, PostgreSQL stores) whose state
 * machines wait {@value #IDLE_WAIT} when nothing wakes them. A negotiation needs several iterations of each side's
 * loop after the request, and a push transfer several more of both sides' transfer loops and the provider's data
 * plane loop, so each getting there within {@link #AWAIT} — far below one idle
 * wait — shows that the DSP messages, management requests and saved states woke the loops, including after the
 * transactions that saved the work committed. Awaited, not timed: how fast they finish is measured in
 * docs/benchmarks.md.
 */
@ComponentTest
@PostgresqlIntegrationTest
class EventDrivenStateMachinesTest {

    private static final String IDLE_WAIT = "PT1H";
    private static final Duration AWAIT = Duration.ofSeconds(120);
    private static final Duration AFTER_WAKE_WINDOW = Duration.ofMillis(200);
    private static final String API_KEY = "wakeups-test-management-key";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Connector PROVIDER = new Connector("wakeups-provider");
    private static final Connector CONSUMER = new Connector("wakeups-consumer");

    @RegisterExtension
    static final RuntimeExtension PROVIDER_RUNTIME = PROVIDER.runtime();
    @RegisterExtension
    static final RuntimeExtension CONSUMER_RUNTIME = CONSUMER.runtime();

    private static DataServer data;

    @BeforeAll
    static void setUp() {
        data = new DataServer();
        var asset = body().put("@id", "readings");
        asset.putObject("properties").put("name", "readings");
        asset.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", data.url() + "/source");
        PROVIDER.post("/v3/assets", asset);
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
        if (data != null) {
            data.close();
        }
    }

    @Test
    void stateMachines_shouldAllBeWakeable() {
        for (var runtime : new RuntimeExtension[]{ PROVIDER_RUNTIME, CONSUMER_RUNTIME }) {
            var wakeups = runtime.getService(StateMachineWakeups.class);
            assertThat(wakeups.loopCount(StateMachineKind.NEGOTIATION)).as("consumer and provider negotiation loops").isEqualTo(2);
            assertThat(wakeups.loopCount(StateMachineKind.TRANSFER)).isEqualTo(1);
            assertThat(wakeups.loopCount(StateMachineKind.DATA_PLANE)).as("the data plane's loop").isEqualTo(1);
            assertThat(wakeups.loopCount(StateMachineKind.POLICY_MONITOR)).isEqualTo(1);
        }
    }

    @Test
    void negotiationAndPushTransfer_withAnHourOfIdleWait_shouldFinishAsTheirMessagesArrive() {
        var agreementId = negotiate();

        var request = body().put("@type", "TransferRequest").put("counterPartyAddress", PROVIDER.dspBase())
                .put("contractId", agreementId).put("protocol", PROTOCOL).put("transferType", "HttpData-PUSH");
        request.putObject("dataDestination").put("type", "HttpData").put("baseUrl", data.url() + "/sink");
        var transferId = CONSUMER.post("/v3/transferprocesses", request).path("@id").asText();

        CONSUMER.awaitState("/v3/transferprocesses/" + transferId, "STARTED");
        // the provider's data plane picked the flow up and pushed it (its COMPLETED is left out: EDC 0.15.1's
        // completion callback gives up when it cannot lease the flow at that moment, at any wait; decision 0025)
        await().atMost(AWAIT).until(() -> data.received.contains(DataServer.PAYLOAD));
    }

    @Test
    void transferTerminatedInsideTheConnector_withAnHourOfIdleWait_shouldEndTerminated() throws InterruptedException {
        var agreementId = negotiate();
        var request = body().put("@type", "TransferRequest").put("counterPartyAddress", PROVIDER.dspBase())
                .put("contractId", agreementId).put("protocol", PROTOCOL).put("transferType", "HttpData-PUSH");
        request.putObject("dataDestination").put("type", "HttpData").put("baseUrl", data.url() + "/held-sink");
        var transferId = CONSUMER.post("/v3/transferprocesses", request).path("@id").asText();
        try {
            CONSUMER.awaitState("/v3/transferprocesses/" + transferId, "STARTED");
            // past the after-wake window of the STARTED message's wake-up, so only a new wake-up runs the loop again
            Thread.sleep(AFTER_WAKE_WINDOW.multipliedBy(5).toMillis());

            // as the gRPC data plane does when a stream's agreement ends: the service saves TERMINATING, for which EDC
            // publishes no event; only the saved state itself can wake the loop that sends the termination
            var terminated = CONSUMER_RUNTIME.getService(TransferProcessService.class)
                    .terminate(new TerminateTransferCommand(transferId, "ended inside the connector"));

            assertThat(terminated.succeeded()).as(terminated.getFailureMessages().toString()).isTrue();
            CONSUMER.awaitState("/v3/transferprocesses/" + transferId, "TERMINATED");
        } finally {
            data.release();
        }
    }

    private static String negotiate() {
        var id = CONSUMER.post("/v3/contractnegotiations", contractRequest()).path("@id").asText();
        return CONSUMER.awaitState("/v3/contractnegotiations/" + id, "FINALIZED").path("contractAgreementId").asText();
    }

    private static ObjectNode contractRequest() {
        var catalogRequest = body().put("counterPartyAddress", PROVIDER.dspBase()).put("counterPartyId", PROVIDER.id).put("protocol", PROTOCOL);
        var catalog = CONSUMER.post("/v3/catalog/request", catalogRequest);
        var dataset = catalog.path("dataset").isArray() ? catalog.path("dataset").get(0) : catalog.path("dataset");
        var offer = (ObjectNode) (dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy")).deepCopy();
        offer.put("@type", "Offer").put("assigner", PROVIDER.id).put("target", "readings");
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", PROVIDER.dspBase()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        return request;
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

    /** Serves the asset's bytes at {@code /source} and keeps what is pushed to {@code /sink}. */
    private static final class DataServer implements AutoCloseable {
        static final String PAYLOAD = "machine,temperature\nlathe-1,41.5\n";
        final CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
        /** Holds a push to {@code /held-sink} until released, so that its transfer stays STARTED. */
        private final CountDownLatch held = new CountDownLatch(1);
        private final HttpServer server;

        DataServer() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/source", exchange -> {
                try (exchange) {
                    var bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            });
            server.createContext("/held-sink", exchange -> {
                try (exchange) {
                    held.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
                    exchange.sendResponseHeaders(200, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.createContext("/sink", exchange -> {
                try (exchange) {
                    received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        void release() {
            held.countDown();
        }

        String url() {
            return "http://127.0.0.1:%d".formatted(server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** One runtime's configuration, ports and management calls. */
    private static final class Connector {
        private final String id;
        private final RuntimeSettings config;

        private Connector(String id) {
            this.id = id;
            config = new RuntimeSettings(id, API_KEY).dataPlaneTokenKeys();
            try {
                config.put("kakehashi.vault.path", Files.createTempDirectory("kakehashi-wakeups-" + id).resolve("vault.p12").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("kakehashi.vault.password", "wakeups-test-vault-" + id);
            config.put(StateMachineWakeupsExtension.IDLE_WAIT_KEY, IDLE_WAIT);
            config.put(StateMachineWakeupsExtension.AFTER_WAKE_WINDOW_KEY, AFTER_WAKE_WINDOW.toString());
            var database = "events_" + id.replace('-', '_');
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

        JsonNode post(String path, JsonNode body) {
            return management(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        JsonNode get(String path) {
            return management(HttpRequest.newBuilder(uri(path)).GET());
        }

        JsonNode awaitState(String path, String state) {
            var last = new JsonNode[1];
            await().atMost(AWAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
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
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.header("x-api-key", API_KEY).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError(response.statusCode() + " " + response.uri() + ": " + response.body());
            }
            return json(response.body());
        }
    }
}
