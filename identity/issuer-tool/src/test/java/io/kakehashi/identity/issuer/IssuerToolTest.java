package io.kakehashi.identity.issuer;

import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class IssuerToolTest {

    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private IssuerTool tool;
    private int port;
    private String authorityDid;
    private String holder;

    @BeforeEach
    void setUp() throws IOException {
        tool = new IssuerTool(new PrintStream(out, true), new PrintStream(err, true));
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        authorityDid = "did:web:127.0.0.1%3A" + port + ":authority";
        holder = "did:web:127.0.0.1%3A1:alice";
    }

    @Test
    void init_thenIssue_thenRevoke_shouldBeSeenByAVerifier() throws Exception {
        var dir = work.resolve("authority").toString();
        assertThat(tool.run("init", "--dir", dir, "--did", authorityDid, "--http-loopback")).as(err.toString()).isZero();
        assertThat(Path.of(dir, "public/did.json")).exists();
        assertThat(Path.of(dir, "public/status-list.jwt")).exists();

        var credential = work.resolve("alice/membership.jwt");
        assertThat(tool.run("issue", "--dir", dir, "--type", "membership", "--holder", holder, "--dataspace", "manufacturing-x",
                "--out", credential.toString())).as(err.toString()).isZero();

        var authority = Authority.open(Path.of(dir)).getContent();
        try (var ignored = AuthorityFileServer.start(authority, "127.0.0.1", port)) {
            var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
            var statusLists = new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, Clock.systemUTC(), Duration.ZERO);
            var verifier = new CredentialVerifier(keys, new TrustedIssuers(List.of(new TrustedIssuers.TrustedIssuer(authorityDid, Set.of()))),
                    statusLists, Clock.systemUTC(), Duration.ofSeconds(30));
            var jwt = Files.readString(credential);

            var before = verifier.verify(jwt, holder);
            assertThat(before.succeeded()).as(before.getFailureMessages().toString()).isTrue();

            assertThat(tool.run("revoke", "--dir", dir, "--credential", credential.toString())).as(err.toString()).isZero();

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("is revoked");
        }
    }

    @Test
    void issue_whenCorporateNumberCheckDigitWrong_shouldFailWithTheReason() {
        var dir = work.resolve("authority").toString();
        tool.run("init", "--dir", dir, "--did", authorityDid);

        var status = tool.run("issue", "--dir", dir, "--type", "legal-entity", "--holder", holder, "--legal-name", "Alice K.K.",
                "--country", "JP", "--registry-id", "JCN:2180301018771");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("wrong check digit");
    }

    @Test
    void issue_whenCertificationWithDates_shouldPrintTheCredential() {
        var dir = work.resolve("authority").toString();
        tool.run("init", "--dir", dir, "--did", authorityDid);

        var status = tool.run("issue", "--dir", dir, "--type", "certification", "--holder", holder, "--certification", "ISO27001",
                "--valid-from", "2026-01-01T00:00:00Z", "--valid-until", "2029-01-01T00:00:00+09:00");

        assertThat(status).as(err.toString()).isZero();
        var lines = out.toString().trim().split("\n");
        assertThat(lines[lines.length - 1].split("\\.")).hasSize(3);
    }

    @Test
    void issue_whenAuditor_shouldCarryTheAuditScope() throws Exception {
        var dir = work.resolve("authority").toString();
        tool.run("init", "--dir", dir, "--did", authorityDid);
        var credential = work.resolve("auditor.jwt");

        var status = tool.run("issue", "--dir", dir, "--type", "auditor", "--holder", holder, "--audit-scope", "maker-jp, did:web:plant.example.de",
                "--format", "vc11", "--out", credential.toString());

        assertThat(status).as(err.toString()).isZero();
        var payload = io.kakehashi.identity.credentials.Jws.parse(Files.readString(credential), "credential").getContent().payload();
        var read = io.kakehashi.identity.credentials.VerifiableCredential.fromJwtPayload(payload).getContent();
        assertThat(read.types()).contains("AuditorCredential");
        assertThat(read.subject().get("auditScope")).isEqualTo(List.of("maker-jp", "did:web:plant.example.de"));
    }

    @Test
    void issue_whenAuditorWithoutScope_shouldFailNamingTheOption() {
        var dir = work.resolve("authority").toString();
        tool.run("init", "--dir", dir, "--did", authorityDid);

        assertThat(tool.run("issue", "--dir", dir, "--type", "auditor", "--holder", holder)).isEqualTo(1);
        assertThat(err.toString()).contains("audit-scope");
    }

    @Test
    void init_whenAlreadyAnAuthority_shouldRefuse() {
        var dir = work.resolve("authority").toString();
        tool.run("init", "--dir", dir, "--did", authorityDid);

        assertThat(tool.run("init", "--dir", dir, "--did", authorityDid)).isEqualTo(1);
        assertThat(err.toString()).contains("already holds an authority");
    }

    @Test
    void revoke_whenUnknownCredential_shouldRefuse() {
        var dir = work.resolve("authority").toString();
        tool.run("init", "--dir", dir, "--did", authorityDid);

        assertThat(tool.run("revoke", "--dir", dir, "--credential", "urn:uuid:nothing")).isEqualTo(1);
    }

    @Test
    void run_whenUsageWrong_shouldExitWithTwo() {
        assertThat(tool.run()).isEqualTo(2);
        assertThat(tool.run("issue", "--dir")).isEqualTo(2);
        assertThat(tool.run("frobnicate", "--dir", "x")).isEqualTo(1);
    }
}
