package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.junit.annotations.EndToEndTest;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two connectors in this JVM talking DSP and gRPC over loopback: an AI vendor offers its ONNX model for inference only
 * ({@code ai.inferenceRuns lteq 2}, 30 days); the machine-tool maker negotiates, receives the model into its sealed
 * store over the gRPC data plane, runs it twice on its own machine data and is refused the third run; the vendor's
 * connector holds two verified run reports, both decision logs hold the decisions, and neither the weights nor the
 * predictions can leave the maker's connector through its management API.
 */
@EndToEndTest
class ModelAssetsEndToEndTest {

    private static final String API_KEY = "model-assets-e2e-key";
    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path DIR = directory();
    private static final Connector VENDOR = new Connector("ai-vendor");
    private static final Connector MAKER = new Connector("jp-machine-tool-maker");

    @RegisterExtension
    static final RuntimeExtension VENDOR_RUNTIME = VENDOR.runtime();
    @RegisterExtension
    static final RuntimeExtension MAKER_RUNTIME = MAKER.runtime();

    private static HttpServer modelServer;
    private static String agreementId;

    private static Path directory() {
        try {
            return Files.createDirectories(Path.of("target", "model-assets-e2e-" + UUID.randomUUID()).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void vendorOffersItsModel_makerNegotiates() throws IOException {
        var model = ModelAssetsTestFixtures.vendorModel(DIR);
        // the vendor's own backend serving the model file, as an HttpData source
        modelServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        modelServer.createContext("/models/spindle-failure.onnx", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(model.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(200, model.length);
                exchange.getResponseBody().write(model);
            }
            exchange.close();
        });
        modelServer.start();
        var baseUrl = "http://127.0.0.1:%d/models/spindle-failure.onnx".formatted(modelServer.getAddress().getPort());

        var asset = body().put("@id", ModelAssetsTestFixtures.MODEL_ASSET);
        asset.putObject("properties").put("name", "Spindle failure model (ONNX)");
        asset.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", baseUrl);
        VENDOR.post("/v3/assets", asset);
        var open = body().put("@id", "open");
        open.putObject("policy").put("@context", "http://www.w3.org/ns/odrl.jsonld").put("@type", "Set").putArray("permission").addObject().put("action", "use");
        VENDOR.post("/v3/policydefinitions", open);
        var terms = body().put("@id", "inference-only");
        var constraints = terms.putObject("policy").put("@context", "http://www.w3.org/ns/odrl.jsonld").put("@type", "Set")
                .putArray("permission").addObject().put("action", "use").putArray("constraint");
        constraints.addObject().put("leftOperand", "https://w3id.org/kakehashi/policy/ai.inferenceRuns").put("operator", "lteq").put("rightOperand", "2");
        constraints.addObject().put("leftOperand", "elapsedTime").put("operator", "lteq").put("rightOperand", "P30D");
        VENDOR.post("/v3/policydefinitions", terms);
        var definition = body().put("@id", "model-offer").put("accessPolicyId", "open").put("contractPolicyId", "inference-only");
        definition.putArray("assetsSelector").addObject().put("@type", "Criterion").put("operandLeft", EDC + "id").put("operator", "=")
                .put("operandRight", ModelAssetsTestFixtures.MODEL_ASSET);
        VENDOR.post("/v3/contractdefinitions", definition);

        agreementId = MAKER.negotiate(VENDOR, ModelAssetsTestFixtures.MODEL_ASSET);

        var machines = ModelAssetsTestFixtures.machineCsv(DIR.resolve("maker-machines.csv"), 200, 12);
        var own = body().put("@id", "machines");
        own.putObject("properties").put("name", "machines");
        own.putObject("dataAddress").put("@type", "DataAddress").put("type", "File").put("path", machines.toString());
        MAKER.post("/v3/assets", own);
    }

    @AfterAll
    static void stopModelServer() {
        if (modelServer != null) {
            modelServer.stop(0);
        }
    }

    @Test
    void aModelRun_isDecidedAtTheHolder_andCountedOnBothSides() {
        var receive = MAKER.raw("POST", "/v3/kakehashi/models",
                MAPPER.createObjectNode().put("agreementId", agreementId).put("counterPartyAddress", VENDOR.dsp()).toString());
        assertThat(receive.statusCode()).as(receive.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> MAKER.get("/v3/kakehashi/models").size() == 1);
        var sealed = MAKER.get("/v3/kakehashi/models").get(0);
        assertThat(sealed.path("vendorId").asText()).isEqualTo("ai-vendor");
        assertThat(sealed.toString()).doesNotContain("onnx\"");

        var run = "{\"assetId\": \"machines\", \"idColumn\": \"id\"}";
        var first = MAKER.raw("POST", "/v3/kakehashi/models/" + agreementId + "/runs", run);
        var second = MAKER.raw("POST", "/v3/kakehashi/models/" + agreementId + "/runs", run);
        var third = MAKER.raw("POST", "/v3/kakehashi/models/" + agreementId + "/runs", run);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        var firstRun = Connector.json(first.body());
        assertThat(firstRun.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(firstRun.path("rows").asLong()).isEqualTo(200);
        assertThat(Path.of(firstRun.path("predictions").asText())).exists();
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(third.statusCode()).isEqualTo(403);
        assertThat(third.body()).contains("ai.inferenceRuns: 2 runs of the model used of 2 allowed");

        // the vendor: two verified reports, the holder's run ids and model digest, nothing of the data
        await().atMost(Duration.ofSeconds(30)).until(() -> MAKER.get("/v3/kakehashi/models/" + agreementId + "/runs").findValues("reported")
                .stream().filter(JsonNode::asBoolean).count() == 2);
        var reports = VENDOR.get("/v3/kakehashi/model-run-reports").get(0);
        assertThat(reports.path("runs").asInt()).isEqualTo(2);
        assertThat(reports.path("limit").asInt()).isEqualTo(2);
        assertThat(reports.path("reports").get(0).path("runId").asText()).isEqualTo(firstRun.path("runId").asText());
        assertThat(reports.path("reports").get(1).path("modelSha256").asText()).isEqualTo(sealed.path("sha256").asText());
        assertThat(reports.toString()).doesNotContain("machines").doesNotContain("m-1,");

        // both decision logs: the maker's model.run decisions (two PERMIT, one DENY), the vendor's kept reports
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(MAKER.decisions("model.run")).extracting(entry -> entry.path("outcome").asText()).containsExactly("PERMIT", "PERMIT", "DENY");
            assertThat(MAKER.decisions("model.run")).allSatisfy(entry -> {
                assertThat(entry.path("counterpartyId").asText()).isEqualTo("ai-vendor");
                assertThat(entry.path("digests").path("model").asText()).isEqualTo(sealed.path("sha256").asText());
            });
            assertThat(VENDOR.decisions("model.run.report")).hasSize(2).allSatisfy(entry -> {
                assertThat(entry.path("outcome").asText()).isEqualTo("PERMIT");
                assertThat(entry.path("counterpartyId").asText()).isEqualTo("jp-machine-tool-maker");
            });
        });
    }

    @Test
    void theWeights_cannotLeaveTheHoldersConnector() {
        var transfer = body().put("counterPartyAddress", VENDOR.dsp()).put("contractId", agreementId)
                .put("protocol", "dataspace-protocol-http:2025-1").put("transferType", "GrpcStream-PULL");
        transfer.putObject("privateProperties").put("https://w3id.org/kakehashi/transfer/destinationPath", DIR.resolve("stolen.onnx").toString());
        var pulled = MAKER.raw("POST", "/v3/transferprocesses", transfer.toString());
        assertThat(pulled.statusCode()).isEqualTo(400);
        assertThat(pulled.body()).contains("is for inference only");

        var store = MAKER.storeDir.resolve("anything/model.onnx");
        var leak = body().put("@id", "leaked-model");
        leak.putObject("properties").put("name", "leaked");
        leak.putObject("dataAddress").put("@type", "DataAddress").put("type", "File").put("path", store.toString());
        var published = MAKER.raw("POST", "/v3/assets", leak.toString());
        assertThat(published.statusCode()).isEqualTo(400);
        assertThat(published.body()).contains("sealed model store");
    }

    private static ObjectNode body() {
        var body = MAPPER.createObjectNode();
        body.putObject("@context").put("@vocab", EDC);
        return body;
    }

    /** One connector of the test: its settings, its management API, its decision log. */
    private static final class Connector {

        final String id;
        final Path storeDir;
        private final Path decisionLog;
        private final RuntimeSettings config;

        Connector(String id) {
            this.id = id;
            this.storeDir = DIR.resolve(id).resolve("models");
            config = new RuntimeSettings(id, API_KEY).dataPlaneTokenKeys();
            config.put("kakehashi.transfer.grpc.port", String.valueOf(Ports.freePort()));
            config.put("kakehashi.decisionlog.dir", DIR.resolve(id).resolve("decision-log").toString());
            config.put("kakehashi.outbox.dir", DIR.resolve(id).resolve("outbox").toString());
            config.put("kakehashi.ai.compute.result-dir", DIR.resolve(id).resolve("results").toString());
            config.put("kakehashi.ai.models.store-dir", storeDir.toString());
            config.put("kakehashi.ai.models.predictions-dir", DIR.resolve(id).resolve("predictions").toString());
            config.put("kakehashi.ai.models.run-reports-file", DIR.resolve(id).resolve("run-reports.jsonl").toString());
            decisionLog = DIR.resolve(id).resolve("decision-log").resolve("decisions.jsonl");
        }

        RuntimeExtension runtime() {
            return new RuntimePerClassExtension(new EmbeddedRuntime(id, new URL[0]).configurationProvider(() -> ConfigFactory.fromMap(config.asMap())));
        }

        String dsp() {
            return config.protocolUrl() + "/2025-1";
        }

        String negotiate(Connector provider, String assetId) {
            var request = body().put("counterPartyAddress", provider.dsp()).put("counterPartyId", provider.id).put("protocol", "dataspace-protocol-http:2025-1");
            var catalog = post("/v3/catalog/request", request);
            var datasets = catalog.path("dataset").isArray() ? catalog.path("dataset") : MAPPER.createArrayNode().add(catalog.path("dataset"));
            JsonNode dataset = null;
            for (var candidate : datasets) {
                dataset = candidate.path("@id").asText().equals(assetId) ? candidate : dataset;
            }
            assertThat(dataset).as("dataset %s in %s", assetId, catalog).isNotNull();
            var offer = (ObjectNode) (dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy")).deepCopy();
            offer.put("@type", "Offer").put("assigner", catalog.path("participantId").asText()).put("target", assetId);
            var contract = MAPPER.createObjectNode();
            contract.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
            contract.put("@type", "ContractRequest").put("counterPartyAddress", provider.dsp()).put("protocol", "dataspace-protocol-http:2025-1");
            contract.set("policy", offer);
            var negotiation = post("/v3/contractnegotiations", contract).path("@id").asText();
            var last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                last[0] = get("/v3/contractnegotiations/" + negotiation);
                assertThat(last[0].path("state").asText()).isNotEqualTo("TERMINATED");
                return "FINALIZED".equals(last[0].path("state").asText());
            });
            return last[0].path("contractAgreementId").asText();
        }

        List<JsonNode> decisions(String scope) {
            try {
                var entries = new ArrayList<JsonNode>();
                for (var line : Files.exists(decisionLog) ? Files.readAllLines(decisionLog) : List.<String>of()) {
                    // each line is the stored decision: the entry with its chain hashes
                    var entry = line.isBlank() ? null : json(line).path("entry");
                    if (entry != null && scope.equals(entry.path("scope").asText())) {
                        entries.add(entry);
                    }
                }
                return entries;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JsonNode post(String path, JsonNode body) {
            return ok(raw("POST", path, body.toString()));
        }

        JsonNode get(String path) {
            return ok(raw("GET", path, null));
        }

        HttpResponse<String> raw(String method, String path, String body) {
            var request = HttpRequest.newBuilder(URI.create(config.managementUrl() + path)).header("x-api-key", API_KEY)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            try {
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static JsonNode ok(HttpResponse<String> response) {
            assertThat(response.statusCode() / 100).as("%d %s: %s", response.statusCode(), response.uri(), response.body()).isEqualTo(2);
            return response.body().isEmpty() ? MAPPER.createObjectNode() : json(response.body());
        }

        static JsonNode json(String text) {
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
