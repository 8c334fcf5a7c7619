package io.kakehashi.samples.launcher;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who the launcher's authenticated APIs let in (issue 13): the management, auditor and control APIs compare keys
 * case-sensitively; the auditor's exports answer 401, not 500, to a missing or wrong key; the control API, which
 * stock EDC serves open, needs its own key for every resource.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("EndToEndTest")
class ApiAuthenticationTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CONTROL_KEY = "ctl-" + UUID.randomUUID();

    private ConnectorSettings settings;
    private ConnectorProcess connector;

    @BeforeAll
    void start() {
        settings = new ConnectorSettings("api-auth", Path.of("target", "launcher-checks").resolve("api-auth-" + System.nanoTime()))
                .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority")
                .environment("WEB_HTTP_CONTROL_AUTH_KEY", CONTROL_KEY);
        connector = ConnectorProcess.start(settings, START);
    }

    @AfterAll
    void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    @Nested
    class ManagementKey {

        private static final String PATH = "/v1/kakehashi/transfers/progress";

        @Test
        void theExactKey_shouldPass() {
            assertThat(get(settings.managementUrl() + PATH, settings.managementKey()).statusCode()).isEqualTo(200);
        }

        @Test
        void theKeyUpperCased_shouldBe401() {
            // EDC 0.15.1's token-based authentication compares ignoring case and let this in
            assertThat(get(settings.managementUrl() + PATH, settings.managementKey().toUpperCase(Locale.ROOT)).statusCode()).isEqualTo(401);
        }

        @Test
        void theKeyWithOneCharacterChanged_shouldBe401() {
            assertThat(get(settings.managementUrl() + PATH, oneCharacterChanged(settings.managementKey())).statusCode()).isEqualTo(401);
        }
    }

    @Nested
    class AuditorKey {

        @Test
        void theExactKey_shouldPass() {
            assertThat(get(settings.auditorUrl() + "/v1/decisions", settings.auditorKey()).statusCode()).isEqualTo(200);
        }

        @Test
        void theKeyUpperCased_shouldBe401() {
            assertThat(get(settings.auditorUrl() + "/v1/decisions", settings.auditorKey().toUpperCase(Locale.ROOT)).statusCode()).isEqualTo(401);
        }

        @Test
        void theKeyWithOneCharacterChanged_shouldBe401() {
            assertThat(get(settings.auditorUrl() + "/v1/decisions", oneCharacterChanged(settings.auditorKey())).statusCode()).isEqualTo(401);
        }

        @ParameterizedTest
        @ValueSource(strings = { "/v1/export/decisions", "/v1/export/checkpoints", "/v1/export/checkpoint-keys", "/v1/export/witnessed-heads",
                "/v1/export/receipts" })
        void anExportWithoutAKey_shouldBe401NotA500(String export) {
            var response = get(settings.auditorUrl() + export, null);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        }

        @ParameterizedTest
        @ValueSource(strings = { "/v1/export/decisions", "/v1/export/checkpoints", "/v1/export/checkpoint-keys", "/v1/export/witnessed-heads",
                "/v1/export/receipts" })
        void anExportWithAWrongKey_shouldBe401NotA500(String export) {
            assertThat(get(settings.auditorUrl() + export, "not-the-auditor-key-0123").statusCode()).isEqualTo(401);
        }

        @ParameterizedTest
        @ValueSource(strings = { "/v1/export/decisions", "/v1/export/checkpoints", "/v1/export/checkpoint-keys", "/v1/export/witnessed-heads",
                "/v1/export/receipts" })
        void anExportWithTheManagementKey_shouldBe401NotA500(String export) {
            assertThat(get(settings.auditorUrl() + export, settings.managementKey()).statusCode()).isEqualTo(401);
        }

        @Test
        void anExportWithTheExactKey_shouldPass() {
            assertThat(get(settings.auditorUrl() + "/v1/export/decisions", settings.auditorKey()).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class ControlApi {

        /** A provider pushing its source to an address of the caller's choosing, with no agreement (issue 13). */
        private static final String START_MESSAGE = """
                {"@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"}, "@type": "DataFlowStartMessage",
                 "@id": "attack-flow", "processId": "attack-flow", "agreementId": "no-agreement", "participantId": "attacker",
                 "assetId": "any", "flowType": "PUSH", "transferTypeDestination": "HttpData-PUSH",
                 "sourceDataAddress": {"@type": "DataAddress", "type": "HttpData", "baseUrl": "http://127.0.0.1:9/source"},
                 "destinationDataAddress": {"@type": "DataAddress", "type": "HttpData", "baseUrl": "http://127.0.0.1:9/sink",
                                            "secretName": "kakehashi-did-keys"},
                 "callbackAddress": "http://127.0.0.1:9/callback"}
                """;

        @Test
        void aDataFlowStartWithoutAKey_shouldBe401AndShowNoSecret() {
            var response = post(settings.controlUrl() + "/v1/dataflows", START_MESSAGE, null);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(response.body()).doesNotContain("\"d\"").doesNotContain("PRIVATE KEY");
        }

        @Test
        void aDataFlowStartWithTheManagementKey_shouldBe401() {
            assertThat(post(settings.controlUrl() + "/v1/dataflows", START_MESSAGE, settings.managementKey()).statusCode()).isEqualTo(401);
        }

        @ParameterizedTest
        @ValueSource(strings = { "/v1/dataflows/attack-flow/terminate", "/v1/dataflows/attack-flow/suspend",
                "/transferprocess/attack-flow/complete", "/transferprocess/attack-flow/fail" })
        void aSignalWithoutAKey_shouldBe401(String path) {
            assertThat(post(settings.controlUrl() + path, "{}", null).statusCode()).isEqualTo(401);
        }

        @Test
        void theDataPlanesWithoutAKey_shouldBe401() {
            assertThat(get(settings.controlUrl() + "/v1/dataplanes", null).statusCode()).isEqualTo(401);
        }

        @Test
        void theDataPlanesWithTheControlKeyUpperCased_shouldBe401() {
            assertThat(get(settings.controlUrl() + "/v1/dataplanes", CONTROL_KEY.toUpperCase(Locale.ROOT)).statusCode()).isEqualTo(401);
        }

        @Test
        void theDataPlanesWithTheControlKeyFromTheEnvironment_shouldListTheEmbeddedDataPlane() {
            var response = get(settings.controlUrl() + "/v1/dataplanes", CONTROL_KEY);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("GrpcStream-PULL");
        }
    }

    private static String oneCharacterChanged(String key) {
        var last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    private static HttpResponse<String> get(String url, String key) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("x-api-key", key);
        }
        return send(request);
    }

    /**
     * The decision log's public head endpoints (decision 0036) on the protocol context: open to any peer, read-only,
     * bad input a 4xx.
     */
    @Nested
    class PublicDecisionLog {

        @Test
        void theHeadEndpoints_shouldAnswerWithoutAKey_andRefuseBadInputAndWrites() {
            var base = settings.protocolUrl() + "/decision-log/v1";
            assertThat(get(base + "/tree-head", null).statusCode()).isIn(200, 404);
            assertThat(get(base + "/checkpoint-keys", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/proofs/consistency?from=x&to=1", null).statusCode()).isEqualTo(400);
            assertThat(get(base + "/proofs/consistency?from=1&to=1000000", null).statusCode()).isEqualTo(400);
            assertThat(post(base + "/tree-head", "{}", null).statusCode()).isEqualTo(405);
            assertThat(post(base + "/cosignatures", "{\"cosignature\":\"a.b.c\"}", null).statusCode()).isEqualTo(400);
        }
    }

    private static HttpResponse<String> post(String url, String body, String key) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
