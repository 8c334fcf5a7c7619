package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.RuntimeSettings;
import io.kakehashi.transfer.grpc.TestContent;
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
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two EDC runtimes (control plane and embedded data plane each) in this JVM: the consumer finds GrpcStream-PULL
 * and GrpcStream-PUSH in the provider's catalog, negotiates over DSP 2025-1 and moves the asset over gRPC with TLS,
 * driven only through the management API. The provider's gRPC endpoint sits behind a proxy that cuts the bulk PULL's
 * connection once in the middle, so the consumer must resume from its partial file. One real-time asset is a JSON
 * Lines file that a producer appends to while the consumer streams it.
 */
@EndToEndTest
class GrpcTransferEndToEndTest {

    private static final String API_KEY = "e2e-key";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Connector PROVIDER = new Connector("provider");
    private static final Connector CONSUMER = new Connector("consumer");
    private static final long SIZE = 24L * 1024 * 1024 + 3;
    /** The provider's gRPC endpoint is reached through a proxy that can cut the connection mid-transfer. */
    private static final CuttingProxy PROXY = PROVIDER.behindProxy();

    /** The provider's directory of record files, which a producer appends telemetry to. */
    private static final Path RECORD_FILES = PROVIDER.servesRecordFiles();

    @RegisterExtension
    static final RuntimeExtension PROVIDER_RUNTIME = PROVIDER.runtime();
    @RegisterExtension
    static final RuntimeExtension CONSUMER_RUNTIME = CONSUMER.runtime();

    private static Path dir;
    private static Path asset;
    private static RangeFileServer backend;

    @BeforeAll
    static void publish() throws IOException {
        dir = Files.createTempDirectory("kakehashi-grpc-e2e");
        asset = TestContent.file(dir, "machines.bin", SIZE, 7);
        backend = new RangeFileServer(asset);
        var assetBody = body().put("@id", "machines");
        assetBody.putObject("properties").put("name", "machines");
        assetBody.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", backend.url());
        PROVIDER.post("/v3/assets", assetBody);
        var telemetry = body().put("@id", "telemetry");
        telemetry.putObject("properties").put("name", "telemetry");
        telemetry.putObject("dataAddress").put("@type", "DataAddress").put("type", GrpcStreamAddresses.RECORD_STREAM_TYPE)
                .put(GrpcStreamAddresses.RECORD_SOURCE, TestRecordSourceExtension.NAME);
        PROVIDER.post("/v3/assets", telemetry);
        var machineLog = body().put("@id", "machine-log");
        machineLog.putObject("properties").put("name", "machine-log");
        machineLog.putObject("dataAddress").put("@type", "DataAddress").put("type", GrpcStreamAddresses.RECORD_STREAM_TYPE)
                .put(GrpcStreamAddresses.RECORD_FILE, "line-1/telemetry.jsonl");
        PROVIDER.post("/v3/assets", machineLog);
        var policy = body().put("@id", "open");
        var odrl = policy.putObject("policy").put("@context", "http://www.w3.org/ns/odrl.jsonld").put("@type", "Set");
        odrl.putArray("permission").addObject().put("action", "use");
        PROVIDER.post("/v3/policydefinitions", policy);
        var definition = body().put("@id", "machines-offer").put("accessPolicyId", "open").put("contractPolicyId", "open");
        definition.putArray("assetsSelector");
        PROVIDER.post("/v3/contractdefinitions", definition);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        backend.close();
        PROXY.close();
        for (var root : new Path[]{ dir, RECORD_FILES, RECORD_FILES.resolveSibling(RECORD_FILES.getFileName() + "-state") }) {
            if (!Files.exists(root)) {
                continue;
            }
            try (var files = Files.walk(root)) {
                for (var file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static String agreementFor(String assetId) {
        var catalogRequest = body().put("counterPartyAddress", PROVIDER.dsp()).put("counterPartyId", "provider").put("protocol", PROTOCOL);
        var catalog = CONSUMER.post("/v3/catalog/request", catalogRequest);
        var datasets = catalog.path("dataset").isArray() ? catalog.path("dataset") : MAPPER.createArrayNode().add(catalog.path("dataset"));
        JsonNode dataset = null;
        for (var candidate : datasets) {
            if (candidate.path("@id").asText().equals(assetId)) {
                dataset = candidate;
            }
        }
        assertThat(dataset).as("dataset %s in %s", assetId, catalog).isNotNull();
        assertThat(dataset.toString()).contains("GrpcStream-PULL").contains("GrpcStream-PUSH");
        var offer = (ObjectNode) (dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy")).deepCopy();
        offer.put("@type", "Offer").put("assigner", catalog.path("participantId").asText()).put("target", assetId);
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", PROVIDER.dsp()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        var negotiationId = CONSUMER.post("/v3/contractnegotiations", request).path("@id").asText();
        return CONSUMER.awaitState("/v3/contractnegotiations/" + negotiationId, "FINALIZED").path("contractAgreementId").asText();
    }

    @Test
    void pullAndPush_whenNegotiatedOverDspAndCutOnce_shouldResumeAndDeliverIdenticalFilesOverGrpc() throws Exception {
        var agreementId = agreementFor("machines");

        var pulled = dir.resolve("inbox/pulled.bin");
        PROXY.cutOnceAfter(8L * 1024 * 1024);
        var pull = CONSUMER.post("/v3/transferprocesses", transferRequest(agreementId, GrpcStreamAddresses.PULL, pulled)).path("@id").asText();
        CONSUMER.awaitState("/v3/transferprocesses/" + pull, "COMPLETED");
        assertThat(PROXY.hasCut()).as("the connection was cut mid-transfer").isTrue();
        assertThat(TestContent.sha256(pulled)).isEqualTo(TestContent.sha256(asset));

        var pushed = dir.resolve("inbox/pushed.bin");
        var pushRequest = transferRequest(agreementId, GrpcStreamAddresses.PUSH, pushed);
        pushRequest.putObject("dataDestination").put("@type", "DataAddress").put("type", GrpcStreamAddresses.TYPE);
        var push = CONSUMER.post("/v3/transferprocesses", pushRequest).path("@id").asText();
        CONSUMER.awaitState("/v3/transferprocesses/" + push, "COMPLETED");
        assertThat(TestContent.sha256(pushed)).isEqualTo(TestContent.sha256(asset));
    }

    @Test
    void realTimePull_whenSuspendedResumedAndTerminatedThroughTheManagementApi_shouldDeliverInOrderWithNoLoss() throws Exception {
        var agreementId = agreementFor("telemetry");
        var received = dir.resolve("inbox/telemetry.jsonl");
        var transfer = CONSUMER.post("/v3/transferprocesses", transferRequest(agreementId, GrpcStreamAddresses.PULL, received))
                .path("@id").asText();
        var path = "/v3/transferprocesses/" + transfer;
        CONSUMER.awaitState(path, "STARTED");

        suspendResumeTerminate(CONSUMER, path, path, received, 1000);
    }

    @Test
    void realTimePush_whenTheProviderSuspendsAndResumes_shouldContinueWithNoLossUntilTheConsumerTerminates() throws Exception {
        var agreementId = agreementFor("telemetry");
        var received = dir.resolve("inbox/pushed-telemetry.jsonl");
        var request = transferRequest(agreementId, GrpcStreamAddresses.PUSH, received);
        request.putObject("dataDestination").put("@type", "DataAddress").put("type", GrpcStreamAddresses.TYPE);
        var transfer = CONSUMER.post("/v3/transferprocesses", request).path("@id").asText();
        var consumerPath = "/v3/transferprocesses/" + transfer;
        var started = CONSUMER.awaitState(consumerPath, "STARTED");
        var providerPath = "/v3/transferprocesses/" + started.path("correlationId").asText();

        suspendResumeTerminate(PROVIDER, providerPath, consumerPath, received, 1000);
    }

    @Test
    void realTimePull_whenTheAssetIsARecordFileAProducerAppendsTo_shouldDeliverEveryLineOnceAcrossSuspendAndResume() throws Exception {
        var file = Files.createDirectories(RECORD_FILES.resolve("line-1")).resolve("telemetry.jsonl");
        Files.createFile(file);
        var producing = new java.util.concurrent.atomic.AtomicBoolean(true);
        var producer = new Thread(() -> {
            try (var out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
                for (var n = 0; producing.get(); n++) {
                    out.write(("{\"seq\":" + n + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(1);
                }
            } catch (IOException | InterruptedException e) {
                producing.set(false);
            }
        });
        producer.start();
        try {
            var agreementId = agreementFor("machine-log");
            var received = dir.resolve("inbox/machine-log.jsonl");
            var transfer = CONSUMER.post("/v3/transferprocesses", transferRequest(agreementId, GrpcStreamAddresses.PULL, received))
                    .path("@id").asText();
            var path = "/v3/transferprocesses/" + transfer;
            CONSUMER.awaitState(path, "STARTED");

            suspendResumeTerminate(CONSUMER, path, path, received, 300);
        } finally {
            producing.set(false);
            producer.join();
        }
    }

    /**
     * Lets a running stream into {@code received} deliver {@code step} records, suspends it and resumes it through
     * {@code control}'s management API ({@code controlPath}: the consumer's or the provider's process), lets it deliver
     * {@code step} more, terminates it through the consumer; then nothing arrived after the end, and every record
     * {@code {"seq":n}} arrived once, in order.
     */
    private static void suspendResumeTerminate(Connector control, String controlPath, String consumerPath, Path received,
                                               int step) throws IOException {
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(received) >= step);

        control.post(controlPath + "/suspend", body().put("@type", "SuspendTransfer").put("reason", "maintenance"));
        CONSUMER.awaitState(consumerPath, "SUSPENDED");
        var atSuspend = io.kakehashi.transfer.grpc.Awaits.stable(() -> lines(received));

        control.post(controlPath + "/resume", body());
        CONSUMER.awaitState(consumerPath, "STARTED");
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(received) >= atSuspend + step);

        CONSUMER.post(consumerPath + "/terminate", body().put("@type", "TerminateTransfer").put("reason", "enough"));
        CONSUMER.awaitState(consumerPath, "TERMINATED");
        var atEnd = io.kakehashi.transfer.grpc.Awaits.stable(() -> lines(received));

        assertThat(atEnd).isGreaterThanOrEqualTo(atSuspend + step);
        try (var all = Files.lines(received)) {
            var index = new long[1];
            all.forEach(line -> assertThat(line).isEqualTo("{\"seq\":" + index[0]++ + "}"));
        }
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return stream.count();
        }
    }

    private static ObjectNode transferRequest(String agreementId, String transferType, Path destination) {
        var body = body();
        ((ObjectNode) body.path("@context")).put("kt", GrpcStreamAddresses.NAMESPACE);
        body.put("@type", "TransferRequest").put("counterPartyAddress", PROVIDER.dsp()).put("connectorId", "provider")
                .put("contractId", agreementId).put("protocol", PROTOCOL).put("transferType", transferType);
        body.putObject("privateProperties").put("kt:destinationPath", destination.toString());
        return body;
    }

    private static ObjectNode body() {
        var body = MAPPER.createObjectNode();
        body.putObject("@context").put("@vocab", EDC);
        return body;
    }

    /** One connector's ports and management calls. */
    private static final class Connector {
        private final String id;
        private final RuntimeSettings config;
        private final int grpc = Ports.freePort();

        private Connector(String id) {
            this.id = id;
            config = new RuntimeSettings(id, API_KEY).dataPlaneTokenKeys();
            config.put("kakehashi.transfer.grpc.port", String.valueOf(grpc));
        }

        /** Serves record files from a new temporary directory (and keeps positions beside it); answers the directory. */
        Path servesRecordFiles() {
            try {
                var directory = Files.createTempDirectory("kakehashi-grpc-e2e-records");
                config.put("kakehashi.transfer.stream.directory", directory.toString());
                config.put("kakehashi.transfer.stream.state-directory", directory.resolveSibling(directory.getFileName() + "-state").toString());
                return directory;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        CuttingProxy behindProxy() {
            try {
                var proxy = new CuttingProxy(grpc);
                config.put("kakehashi.transfer.grpc.public-port", String.valueOf(proxy.port()));
                return proxy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        RuntimeExtension runtime() {
            return new RuntimePerClassExtension(new EmbeddedRuntime(id, new URL[0])
                    .configurationProvider(() -> ConfigFactory.fromMap(config.asMap())));
        }

        String dsp() {
            return config.protocolUrl() + "/2025-1";
        }

        JsonNode post(String path, JsonNode body) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        JsonNode awaitState(String path, String state) {
            var last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                last[0] = send(HttpRequest.newBuilder(uri(path)).GET());
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

        private JsonNode send(HttpRequest.Builder request) {
            try {
                var response = HTTP.send(request.header("x-api-key", API_KEY).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new AssertionError(response.statusCode() + " " + response.uri() + ": " + response.body());
                }
                return response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
