package io.kakehashi.policy.auditor;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.dcp.SignedRequestTokens;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.PostgresTestServer;
import io.kakehashi.testfixtures.RuntimeSettings;
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
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auditors with credentials (issue 21, item 4; docs/decisions/0042) in a real runtime — EDC's control plane with the
 * DCP identity, the decision log and the auditor API — with the dataspace authority, a second (untrusted) authority and
 * the auditor on the DID test server. An auditor whose auditor credential covers this connector (by DID, participant
 * id or {@code *}) reads the log with a signed request; without one, with a membership only, with a revoked one, one
 * from an untrusted issuer, one for another participant, or with a replayed, expired, misaddressed or redirected
 * token it is kept out (401/403, a message saying why, no data and never the token); the staff's API key still works
 * and the management key still does not. PostgreSQL holds the connector's state (the used token ids among it), as in
 * production: the connector core's SQL stores are on this module's class path.
 */
@ComponentTest
@PostgresqlIntegrationTest
class AuditorCredentialRuntimeTest {

    private static final String PARTICIPANT = "maker-jp";
    private static final String MANAGEMENT_KEY = "management-key-of-the-runtime-test";
    private static final String STAFF_KEY = "auditor-staff-key-of-the-runtime-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DECISIONS = "/auditor/v1/decisions?limit=10";

    private static final DidDocumentServer SERVER = server();
    private static final Authority AUTHORITY = new Authority(SERVER, "authority");
    private static final Authority STRANGER = new Authority(SERVER, "stranger");
    private static final OwnDid AUDITOR = DidTestFixtures.publish(SERVER, "auditor", null);
    private static final int IDENTITY_PORT = Ports.freePort();
    private static final int AUDITOR_PORT = Ports.freePort();
    private static final String DID = "did:web:127.0.0.1%3A" + IDENTITY_PORT + ":identity";
    private static final SignedRequestTokens TOKENS = new SignedRequestTokens(AUDITOR, Clock.systemUTC(), Duration.ofMinutes(2));

    private static final RuntimeSettings SETTINGS = settings();

    @RegisterExtension
    static final RuntimeExtension RUNTIME = new RuntimePerClassExtension(new EmbeddedRuntime(PARTICIPANT, new URL[0])
            .configurationProvider(() -> ConfigFactory.fromMap(SETTINGS.asMap())));

    @BeforeAll
    static void logDecisions() {
        var log = RUNTIME.getService(DecisionLogStore.class);
        for (var i = 0; i < 3; i++) {
            log.append(entry(i));
        }
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    // let in

    @Test
    void auditor_whoseCredentialNamesThisConnectorsDid_shouldReadTheDecisions() {
        var response = signed(DECISIONS, auditorCredential(List.of(DID)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"decisions\"").contains("\"sequence\":3");
    }

    @Test
    void auditor_whoseCredentialNamesThisParticipantId_shouldVerifyTheLog() {
        var response = signed("/auditor/v1/verify", auditorCredential(List.of("another-participant", PARTICIPANT)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"intact\":true");
    }

    @Test
    void auditor_whoseCredentialCoversEveryParticipant_shouldExportTheLog() {
        var response = signed("/auditor/v1/export/decisions", auditorCredential(List.of("*")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body().lines()).hasSize(3);
    }

    @Test
    void staff_withTheApiKey_shouldStillReadTheDecisions() {
        var response = send(request(DECISIONS).header("x-api-key", STAFF_KEY));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"sequence\":3");
    }

    // kept out

    @Test
    void caller_withNeitherKeyNorCredential_shouldGet401() {
        assertKeptOut(send(request(DECISIONS)), 401, null);
    }

    @Test
    void caller_withTheManagementKey_shouldGet401() {
        assertKeptOut(send(request(DECISIONS).header("x-api-key", MANAGEMENT_KEY)), 401, null);
    }

    @Test
    void auditor_withAMembershipOnly_shouldGet403() {
        var membership = AUTHORITY.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(AUDITOR.id(), "manufacturing-x"));

        assertKeptOut(signed(DECISIONS, membership), 403, "presents no AuditorCredential");
    }

    @Test
    void auditor_whoseCredentialCoversOtherParticipantsOnly_shouldGet403() {
        assertKeptOut(signed(DECISIONS, auditorCredential(List.of("another-participant", "did:web:elsewhere.example"))), 403, "does not cover this connector");
    }

    @Test
    void auditor_withARevokedCredential_shouldGet401() {
        var status = AUTHORITY.nextStatus();
        var revoked = AUTHORITY.issuer.issue(Credentials.AUDITOR, CredentialIssuer.auditor(AUDITOR.id(), List.of("*")),
                Instant.now().minusSeconds(60), null, status).getContent();
        AUTHORITY.revoke(status);

        assertKeptOut(signed(DECISIONS, revoked), 401, "revoked");
    }

    @Test
    void auditor_withACredentialFromAnUntrustedIssuer_shouldGet401() {
        var untrusted = STRANGER.issue(Credentials.AUDITOR, CredentialIssuer.auditor(AUDITOR.id(), List.of("*")));

        assertKeptOut(signed(DECISIONS, untrusted), 401, "not a trusted issuer");
    }

    @Test
    void auditor_replayingATokenItUsed_shouldGet401() {
        var token = TOKENS.token(DID, "GET", DECISIONS, List.of(auditorCredential(List.of("*")))).getContent();
        assertThat(send(request(DECISIONS).header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(200);

        assertKeptOut(send(request(DECISIONS).header("Authorization", "Bearer " + token)), 401, "already used");
    }

    @Test
    void auditor_withAnExpiredToken_shouldGet401() {
        var past = new SignedRequestTokens(AUDITOR, Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC), Duration.ofMinutes(2));
        var token = past.token(DID, "GET", DECISIONS, List.of(auditorCredential(List.of("*")))).getContent();

        assertKeptOut(send(request(DECISIONS).header("Authorization", "Bearer " + token)), 401, "expired");
    }

    @Test
    void auditor_withATokenForAnotherConnector_shouldGet401() {
        var token = TOKENS.token("did:web:elsewhere.example", "GET", DECISIONS, List.of(auditorCredential(List.of("*")))).getContent();

        assertKeptOut(send(request(DECISIONS).header("Authorization", "Bearer " + token)), 401, "audience");
    }

    @Test
    void auditor_sendingATokenMadeForAnotherRequest_shouldGet401() {
        var token = TOKENS.token(DID, "GET", "/auditor/v1/decisions?limit=1", List.of(auditorCredential(List.of("*")))).getContent();

        assertKeptOut(send(request(DECISIONS).header("Authorization", "Bearer " + token)), 401, "not made for this request");
    }

    @Test
    void auditor_withAGarbledToken_onAnExport_shouldGet401NotA500() {
        assertKeptOut(send(request("/auditor/v1/export/decisions").header("Authorization", "Bearer not-a-token")), 401, "not a signed JWT");
    }

    @Test
    void auditor_withAValidCredential_shouldStillNotWrite() {
        var target = "/auditor/v1/decisions";
        var token = TOKENS.token(DID, "POST", target, List.of(auditorCredential(List.of("*")))).getContent();

        var response = send(request(target).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(405);
    }

    private static void assertKeptOut(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("\"sequence\"").doesNotContain("eyJ");
        if (reason != null) {
            assertThat(response.body()).contains(reason);
        }
    }

    private static String auditorCredential(List<String> scope) {
        return AUTHORITY.issue(Credentials.AUDITOR, CredentialIssuer.auditor(AUDITOR.id(), scope));
    }

    private static HttpResponse<String> signed(String target, String credential) {
        var token = TOKENS.token(DID, "GET", target, List.of(credential)).getContent();
        return send(request(target).header("Authorization", "Bearer " + token));
    }

    private static HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d%s".formatted(AUDITOR_PORT, target))).timeout(Duration.ofSeconds(30));
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

    private static RuntimeSettings settings() {
        try {
            var settings = new RuntimeSettings(PARTICIPANT, MANAGEMENT_KEY).dataPlaneTokenKeys();
            var postgres = PostgresTestServer.get();
            postgres.recreateDatabase("auditor_credentials");
            settings.put("edc.datasource.default.url", postgres.url("auditor_credentials"));
            settings.put("edc.datasource.default.user", postgres.user());
            settings.put("kakehashi.vault.path", Files.createTempDirectory("auditor-credentials-vault").resolve("vault.p12").toString());
            settings.put("kakehashi.vault.password", "auditor-credentials-test-vault");
            settings.put("kakehashi.identity.did", DID);
            settings.put("web.http.identity.port", String.valueOf(IDENTITY_PORT));
            settings.put("web.http.identity.path", "/identity");
            settings.put("kakehashi.identity.did.http-loopback", "true");
            settings.put("kakehashi.identity.credentials.dir", Files.createTempDirectory("auditor-credentials-connector").toString());
            settings.put("kakehashi.identity.trusted-issuers.jp.id", AUTHORITY.did.id());
            // the revocation test must see the status list as it is now
            settings.put("kakehashi.identity.status-list.cache", "PT0.001S");
            settings.put("kakehashi.decisionlog.dir", Files.createTempDirectory("auditor-credentials-log").toString());
            settings.put("kakehashi.outbox.dir", Files.createTempDirectory("auditor-credentials-outbox").toString());
            settings.put("web.http.auditor.port", String.valueOf(AUDITOR_PORT));
            settings.put("web.http.auditor.path", "/auditor");
            settings.put("web.http.auditor.auth.type", "tokenbased");
            settings.put("web.http.auditor.auth.key", STAFF_KEY);
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DidDocumentServer server() {
        try {
            return new DidDocumentServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
