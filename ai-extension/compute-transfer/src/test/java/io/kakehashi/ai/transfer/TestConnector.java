package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One connector of an end-to-end test (control plane, embedded data plane, gRPC data plane, compute) in this JVM:
 * its ports and settings, and calls to its management API.
 */
final class TestConnector {

    static final String API_KEY = "compute-e2e-key";
    static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    static final String KAKEHASHI = "https://w3id.org/kakehashi/policy/";
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String id;
    /** The connector's decision log (JSON Lines, one entry a line). */
    final Path decisionLog;
    private final RuntimeSettings config;

    TestConnector(String id, Path resultDir) {
        this.id = id;
        config = new RuntimeSettings(id, API_KEY).dataPlaneTokenKeys();
        config.put("kakehashi.transfer.grpc.port", String.valueOf(Ports.freePort()));
        config.put("kakehashi.ai.jobs.time-limit", "PT3M");
        config.put("kakehashi.ai.jobs.memory-limit", String.valueOf(256L << 20));
        config.put("kakehashi.ai.compute.result-dir", resultDir.resolve(id).toString());
        config.put("kakehashi.decisionlog.dir", decisionLogDir(resultDir).toString());
        config.put("kakehashi.outbox.dir", decisionLogDir(resultDir).resolve("outbox").toString());
        this.decisionLog = decisionLogDir(resultDir).resolve("decisions.jsonl");
    }

    private Path decisionLogDir(Path dir) {
        return dir.resolve(id).resolve("decision-log");
    }

    /** The entries of the decision log, oldest first. */
    List<JsonNode> decisions() {
        try {
            if (!Files.exists(decisionLog)) {
                return List.of();
            }
            var entries = new java.util.ArrayList<JsonNode>();
            for (var line : Files.readAllLines(decisionLog)) {
                if (!line.isBlank()) {
                    entries.add(MAPPER.readTree(line));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestConnector with(String key, String value) {
        config.put(key, value);
        return this;
    }

    RuntimeExtension runtime() {
        return new RuntimePerClassExtension(embedded());
    }

    /** The runtime itself, for a main class that boots and shuts it down. */
    EmbeddedRuntime embedded() {
        return new EmbeddedRuntime(id, new URL[0]).configurationProvider(() -> ConfigFactory.fromMap(config.asMap()));
    }

    String dsp() {
        return config.protocolUrl() + "/2025-1";
    }

    /** Publishes a File asset with an offer under a contract policy of these constraints (ODRL terms). */
    void publish(String assetId, Path file, List<ObjectNode> constraints) {
        var asset = body().put("@id", assetId);
        asset.putObject("properties").put("name", assetId);
        asset.putObject("dataAddress").put("@type", "DataAddress").put("type", "File").put("path", file.toAbsolutePath().toString());
        post("/v3/assets", asset);
        if (!exists("/v3/policydefinitions/open")) {
            var open = body().put("@id", "open");
            open.putObject("policy").put("@context", "http://www.w3.org/ns/odrl.jsonld").put("@type", "Set")
                    .putArray("permission").addObject().put("action", "use");
            post("/v3/policydefinitions", open);
        }
        var policy = body().put("@id", assetId + "-terms");
        var permission = policy.putObject("policy").put("@context", "http://www.w3.org/ns/odrl.jsonld").put("@type", "Set")
                .putArray("permission").addObject().put("action", "use");
        var list = permission.putArray("constraint");
        constraints.forEach(list::add);
        post("/v3/policydefinitions", policy);
        var definition = body().put("@id", assetId + "-offer").put("accessPolicyId", "open").put("contractPolicyId", assetId + "-terms");
        definition.putArray("assetsSelector").addObject().put("@type", "Criterion")
                .put("operandLeft", EDC + "id").put("operator", "=").put("operandRight", assetId);
        post("/v3/contractdefinitions", definition);
    }

    static ObjectNode constraint(String leftOperand, String operator, String rightOperand) {
        return MAPPER.createObjectNode().put("leftOperand", KAKEHASHI + leftOperand).put("operator", operator).put("rightOperand", rightOperand);
    }

    /** Negotiates the asset's offer with a provider over DSP; answers the agreement id. */
    String negotiate(TestConnector provider, String assetId) {
        var catalogRequest = body().put("counterPartyAddress", provider.dsp()).put("counterPartyId", provider.id).put("protocol", PROTOCOL);
        var catalog = post("/v3/catalog/request", catalogRequest);
        var datasets = catalog.path("dataset").isArray() ? catalog.path("dataset") : MAPPER.createArrayNode().add(catalog.path("dataset"));
        JsonNode dataset = null;
        for (var candidate : datasets) {
            if (candidate.path("@id").asText().equals(assetId)) {
                dataset = candidate;
            }
        }
        assertThat(dataset).as("dataset %s in %s", assetId, catalog).isNotNull();
        assertThat(dataset.toString()).contains("KakehashiCompute-PUSH");
        var offer = (ObjectNode) (dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy")).deepCopy();
        offer.put("@type", "Offer").put("assigner", catalog.path("participantId").asText()).put("target", assetId);
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", provider.dsp()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        var negotiationId = post("/v3/contractnegotiations", request).path("@id").asText();
        return awaitField("/v3/contractnegotiations/" + negotiationId, "state", "FINALIZED").path("contractAgreementId").asText();
    }

    /** Submits a job on the consumer API; answers the response (status and body). */
    HttpResponse<String> submit(String agreementId, TestConnector provider, String jobJson) {
        var body = MAPPER.createObjectNode().put("agreementId", agreementId).put("counterPartyAddress", provider.dsp())
                .put("counterPartyId", provider.id);
        try {
            body.set("job", MAPPER.readTree(jobJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raw("POST", "/v3/kakehashi/compute/remote-jobs", body.toString());
    }

    JsonNode post(String path, JsonNode body) {
        return ok(raw("POST", path, body.toString()));
    }

    JsonNode get(String path) {
        return ok(raw("GET", path, null));
    }

    boolean exists(String path) {
        return raw("GET", path, null).statusCode() == 200;
    }

    /** Waits until the resource's field has the value; fails at once when it reaches another final job state. */
    JsonNode awaitField(String path, String field, String value) {
        var last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = get(path);
            var now = last[0].path(field).asText();
            if (!now.equals(value) && Set.of("TERMINATED", "FAILED", "CANCELLED", "COMPLETED").contains(now)) {
                throw new AssertionError(path + " ended " + now + ", not " + value + ": " + last[0]);
            }
            return now.equals(value);
        });
        return last[0];
    }

    HttpResponse<String> raw(String method, String path, String body) {
        var request = HttpRequest.newBuilder(URI.create(config.managementUrl() + path))
                .header("x-api-key", API_KEY).header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
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
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(response.statusCode() + " " + response.uri() + ": " + response.body());
        }
        try {
            return response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode body() {
        var body = MAPPER.createObjectNode();
        body.putObject("@context").put("@vocab", EDC);
        return body;
    }
}
