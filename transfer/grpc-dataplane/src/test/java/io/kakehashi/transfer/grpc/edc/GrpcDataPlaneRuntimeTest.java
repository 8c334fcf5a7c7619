package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.selection.AwaitingDataPlaneSelector;
import io.kakehashi.transfer.grpc.tls.GrpcTlsIdentity;
import io.kakehashi.transfer.grpc.v1.BulkTransferGrpc;
import io.kakehashi.transfer.grpc.v1.OffsetRequest;
import org.eclipse.edc.connector.dataplane.selector.spi.DataPlaneSelectorService;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
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
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The extensions booted in a real EDC runtime with a control plane and the embedded data plane, as in the launcher. */
@ComponentTest
class GrpcDataPlaneRuntimeTest {

    private static final String API_KEY = "runtime-test-key";
    private static final int MANAGEMENT_PORT = Ports.freePort();
    private static final int GRPC_PORT = Ports.freePort();
    private static final int CONTROL_PORT = Ports.freePort();
    private static final Path RECORD_FILES = temporaryDirectory("kakehashi-record-files");

    @RegisterExtension
    static final RuntimeExtension RUNTIME = new RuntimePerClassExtension(new EmbeddedRuntime("grpc-runtime-test", new URL[0])
            .configurationProvider(() -> {
                var config = new HashMap<String, String>();
                config.put("edc.participant.id", "grpc-test-provider");
                config.put("web.http.port", String.valueOf(Ports.freePort()));
                config.put("web.http.path", "/api");
                config.put("web.http.management.port", String.valueOf(MANAGEMENT_PORT));
                config.put("web.http.management.path", "/management");
                config.put("web.http.management.auth.type", "tokenbased");
                config.put("web.http.management.auth.key", API_KEY);
                var protocolPort = Ports.freePort();
                config.put("web.http.protocol.port", String.valueOf(protocolPort));
                config.put("web.http.protocol.path", "/protocol");
                config.put("web.http.control.port", String.valueOf(CONTROL_PORT));
                config.put("web.http.control.path", "/control");
                config.put("edc.dsp.callback.address", "http://127.0.0.1:%d/protocol".formatted(protocolPort));
                config.put("edc.transfer.proxy.token.signer.privatekey.alias", "dataplane-token-signer");
                config.put("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier");
                config.put("kakehashi.transfer.grpc.port", String.valueOf(GRPC_PORT));
                config.put("kakehashi.transfer.stream.directory", RECORD_FILES.toString());
                config.put("kakehashi.transfer.stream.state-directory", RECORD_FILES.resolveSibling(RECORD_FILES.getFileName() + "-state").toString());
                return ConfigFactory.fromMap(config);
            }));

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeRecordFiles() throws IOException {
        Files.deleteIfExists(RECORD_FILES);
    }

    @Test
    void controlApi_stateOfAnUnknownDataFlow_shouldBe404() throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/control/v1/dataflows/no-such-flow/state".formatted(CONTROL_PORT))).GET().build();

        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        // EDC 0.15.1 alone answers 500 (issue 13, defect 6)
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).contains("no data flow with this id");
    }

    @Test
    void dataPlaneSelector_shouldBeTheAwaitingOneAndSelectTheEmbeddedDataPlane() {
        var selector = RUNTIME.getService(DataPlaneSelectorService.class);

        assertThat(selector).isInstanceOf(AwaitingDataPlaneSelector.class);
        // asked as the transfer manager asks; right after start this waits for the registration instead of failing
        var selected = selector.select(null, instance -> instance.getAllowedTransferTypes().contains("GrpcStream-PULL"));
        assertThat(selected.succeeded()).as(selected::getFailureDetail).isTrue();
    }

    @Test
    void assetCreation_whenRecordFileOutsideTheServedDirectory_shouldBe400WithTheReasonAndStoreNothing() throws Exception {
        var outside = createAsset("outside-file", "../elsewhere/telemetry.jsonl");
        var inside = createAsset("inside-file", "line-1/telemetry.jsonl");

        assertThat(outside.statusCode()).as(outside.body()).isEqualTo(400);
        assertThat(outside.body()).contains("outside the directory record files are served from")
                .contains("kakehashi.transfer.stream.directory");
        assertThat(inside.statusCode()).as(inside.body()).isEqualTo(200);
        var stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:%d/management/v3/assets/outside-file".formatted(MANAGEMENT_PORT)))
                .header("x-api-key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> createAsset(String id, String recordFile) throws Exception {
        var body = """
                {"@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"}, "@id": "%s", "properties": {"name": "%s"},
                 "dataAddress": {"@type": "DataAddress", "type": "KakehashiRecordStream",
                                 "https://w3id.org/kakehashi/transfer/recordFile": "%s"}}
                """.formatted(id, id, recordFile);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:%d/management/v3/assets".formatted(MANAGEMENT_PORT)))
                .header("x-api-key", API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void selfRegistration_shouldAdvertiseBothGrpcTransferTypes() {
        var selector = RUNTIME.getService(DataPlaneSelectorService.class);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(selector.getAll().getContent())
                .flatExtracting(instance -> instance.getAllowedTransferTypes())
                .contains(GrpcStreamAddresses.PULL, GrpcStreamAddresses.PUSH));
    }

    @Test
    void grpcEndpoint_shouldSpeakTlsWithThePinnedCertificateAndRefuseCallsWithoutToken() {
        var vault = RUNTIME.getService(Vault.class);
        var identity = GrpcTlsIdentity.loadOrCreate(vault, "kakehashi-grpc-tls", "127.0.0.1", Clock.systemUTC()).getContent();
        try (var channels = new GrpcChannels()) {
            var channel = channels.channelTo(new GrpcStreamAddresses.Endpoint("127.0.0.1", GRPC_PORT, false, identity.fingerprint()));

            assertThatThrownBy(() -> BulkTransferGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .offset(OffsetRequest.newBuilder().setTransferId("any").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void progressApi_shouldAnswerOnTheManagementApiBehindItsKey() throws Exception {
        var http = HttpClient.newHttpClient();
        var uri = URI.create("http://127.0.0.1:%d/management/v1/kakehashi/transfers/progress".formatted(MANAGEMENT_PORT));

        var authorised = http.send(HttpRequest.newBuilder(uri).header("x-api-key", API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        var anonymous = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(authorised.statusCode()).as(authorised.body()).isEqualTo(200);
        assertThat(authorised.body()).isEqualTo("[]");
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
