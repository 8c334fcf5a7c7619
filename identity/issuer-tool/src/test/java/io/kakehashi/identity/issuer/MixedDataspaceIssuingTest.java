package io.kakehashi.identity.issuer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.identity.credentials.ClaimsFromCredentials;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.StatusList;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issuer tool in a dataspace of Kakehashi and stock EDC 0.15.1 connectors: VC 1.1 JWT credentials (what EDC
 * verifies) that Kakehashi verifies with all its claims, and a status list served signed to Kakehashi and as the plain
 * JSON credential EDC's revocation check parses, chosen by {@code Accept}.
 */
class MixedDataspaceIssuingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private IssuerTool tool;
    private int port;
    private String authorityDid;
    private String dir;
    private final String holder = "did:web:127.0.0.1%3A1:plant";

    @BeforeEach
    void setUp() throws IOException {
        tool = new IssuerTool(new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        authorityDid = "did:web:127.0.0.1%3A" + port + ":authority";
        dir = work.resolve("authority").toString();
        assertThat(tool.run("init", "--dir", dir, "--did", authorityDid, "--http-loopback")).as(err.toString()).isZero();
    }

    private CredentialVerifier verifier() {
        var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
        var statusLists = new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, Clock.systemUTC(), Duration.ZERO);
        return new CredentialVerifier(keys, new TrustedIssuers(List.of(new TrustedIssuers.TrustedIssuer(authorityDid, Set.of()))),
                statusLists, Clock.systemUTC(), Duration.ofSeconds(30));
    }

    @Nested
    class Vc11Credentials {

        @Test
        void issue_whenFormatVc11_shouldMakeTheJwtEdcVerifies() throws IOException {
            var file = work.resolve("membership.jwt");

            assertThat(tool.run("issue", "--dir", dir, "--type", "membership", "--holder", holder, "--dataspace", "catena-x",
                    "--format", "vc11", "--out", file.toString())).as(err.toString()).isZero();

            var payload = Jws.parse(Files.readString(file), "credential").getContent().payload();
            // EDC's JwtPresentationVerifier needs a vc claim, its HasSubjectRule a sub
            assertThat(payload).containsEntry("iss", authorityDid).containsEntry("sub", holder).containsKeys("vc", "exp", "nbf", "jti");
            @SuppressWarnings("unchecked")
            var vc = (Map<String, Object>) payload.get("vc");
            assertThat(vc).containsKeys("issuanceDate", "expirationDate", "credentialStatus").doesNotContainKeys("validFrom", "validUntil");
            assertThat((List<?>) vc.get("@context")).first().isEqualTo("https://www.w3.org/2018/credentials/v1");
        }

        @Test
        void issue_whenVc11LegalEntity_shouldBeVerifiedWithItsClaimsAndRevocable() throws Exception {
            var file = work.resolve("legal-entity.jwt");
            assertThat(tool.run("issue", "--dir", dir, "--type", "legal-entity", "--holder", holder, "--legal-name", "Werk GmbH",
                    "--country", "DE", "--registry-id", "LEI:5493001KJTIIGC8Y1R12", "--format", "vc11", "--out", file.toString())).as(err.toString()).isZero();
            var jwt = Files.readString(file);

            try (var ignored = AuthorityFileServer.start(Authority.open(Path.of(dir)).getContent(), "127.0.0.1", port)) {
                var verified = verifier().verify(jwt, holder);
                assertThat(verified.succeeded()).as(String.valueOf(verified.getFailureMessages())).isTrue();
                assertThat(verified.getContent().format()).isEqualTo(VerifiableCredential.Format.VC11_JWT);
                var claims = ClaimsFromCredentials.claims(holder, List.of(verified.getContent())).getContent();
                assertThat(claims.countryOfRegistration()).contains("DE");
                assertThat(claims.legalName()).contains("Werk GmbH");

                assertThat(tool.run("revoke", "--dir", dir, "--credential", file.toString())).as(err.toString()).isZero();

                assertThat(verifier().verify(jwt, holder).getFailureDetail()).contains("is revoked");
            }
        }

        @Test
        void issue_whenFormatUnknown_shouldRefuseNamingTheChoices() {
            assertThat(tool.run("issue", "--dir", dir, "--type", "membership", "--holder", holder, "--dataspace", "x", "--format", "vc3")).isEqualTo(1);
            assertThat(err.toString()).contains("--format must be vc2").contains("vc11");
        }
    }

    @Nested
    class StatusListForms {

        private HttpResponse<String> get(String... accept) throws Exception {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/authority/status-list.jwt".formatted(port)));
            for (var value : accept) {
                request.header("Accept", value);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void serve_whenAcceptAnything_shouldAnswerThePlainJsonCredentialEdcParses() throws Exception {
            tool.run("issue", "--dir", dir, "--type", "membership", "--holder", holder, "--dataspace", "x", "--format", "vc11");
            tool.run("revoke", "--dir", dir, "--credential", "0");
            try (var ignored = AuthorityFileServer.start(Authority.open(Path.of(dir)).getContent(), "127.0.0.1", port)) {

                // EDC 0.15.1's BaseRevocationListService sends edc.iam.credential.revocation.mimetype, default */*
                var response = get("*/*");

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).contains("application/vc+ld+json");
                var credential = MAPPER.readValue(response.body(), new TypeReference<Map<String, Object>>() {
                });
                // the fields EDC's BitstringStatusListCredential reads
                assertThat(credential).containsEntry("issuer", authorityDid).containsKeys("validFrom", "id").doesNotContainKeys("iss", "iat");
                assertThat(credential.get("type")).asList().contains("BitstringStatusListCredential");
                @SuppressWarnings("unchecked")
                var subject = (Map<String, Object>) credential.get("credentialSubject");
                assertThat(subject).containsEntry("statusPurpose", "revocation");
                assertThat(StatusList.decode((String) subject.get("encodedList")).getContent().get(0)).isTrue();
            }
        }

        @Test
        void serve_whenNoAcceptOrJwtAccepted_shouldAnswerTheSignedStatusList() throws Exception {
            try (var ignored = AuthorityFileServer.start(Authority.open(Path.of(dir)).getContent(), "127.0.0.1", port)) {
                for (var response : List.of(get(), get("application/vc+jwt"), get("application/json;q=0.5, application/jwt"))) {
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.headers().firstValue("Content-Type")).contains("application/vc+jwt");
                    assertThat(response.body().split("\\.")).hasSize(3);
                }
            }
        }

        @Test
        void serve_whenAcceptNamesNeitherForm_shouldAnswer406() throws Exception {
            try (var ignored = AuthorityFileServer.start(Authority.open(Path.of(dir)).getContent(), "127.0.0.1", port)) {
                assertThat(get("text/html").statusCode()).isEqualTo(406);
            }
        }
    }
}
