package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.dcp.verifier.DcpSignedRequestVerifier;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.spi.AuditorCredential;
import io.kakehashi.identity.spi.SignedRequestVerifier;
import org.eclipse.edc.token.InMemoryJtiValidationStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signed requests (an auditor's, issue 21 item 4): a token of the caller's DID key for this connector and this request,
 * presenting the caller's credentials, is accepted once with the credentials it verified; each check refuses what it
 * is for, naming it, and never echoes the token.
 */
class SignedRequestVerifierTest {

    private static final String TARGET = "/auditor/v1/decisions?outcome=DENY&limit=10";

    private DidDocumentServer server;
    private Authority authority;
    private Authority stranger;
    private OwnDid connector;
    private OwnDid auditor;
    private InMemoryJtiValidationStore seen;
    private SignedRequestVerifier verifier;
    private SignedRequestTokens tokens;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        authority = new Authority(server, "authority");
        stranger = new Authority(server, "stranger");
        connector = DidTestFixtures.publish(server, "connector", null);
        auditor = DidTestFixtures.publish(server, "auditor", null);
        var clock = Clock.systemUTC();
        var keys = DidTestFixtures.publicKeys(clock);
        seen = new InMemoryJtiValidationStore();
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(authority.did.id(), Set.of())));
        var statusLists = new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, clock, Duration.ZERO);
        var skew = Duration.ofSeconds(30);
        var presentations = new PresentationVerifier(keys, new CredentialVerifier(keys, trusted, statusLists, clock, skew), clock, skew);
        verifier = new DcpSignedRequestVerifier(connector, new IdTokenVerifier(keys, seen, clock, skew, DcpSignedRequestVerifier.MAXIMUM_LIFETIME),
                presentations, seen);
        tokens = new SignedRequestTokens(auditor, clock, Duration.ofMinutes(2));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void verify_whenAuditorPresentsItsCredential_shouldAcceptWithTheVerifiedCredential() {
        var credential = authority.issue(Credentials.AUDITOR, CredentialIssuer.auditor(auditor.id(), List.of(connector.id())));

        var result = verifier.verify(bearer(tokens.token(connector.id(), "GET", TARGET, List.of(credential)).getContent()), "GET", TARGET);

        assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
        assertThat(result.getContent().holder()).isEqualTo(auditor.id());
        assertThat(result.getContent().verifier()).isEqualTo(connector.id());
        assertThat(result.getContent().credentials()).singleElement().satisfies(presented -> {
            assertThat(presented.issuer()).isEqualTo(authority.did.id());
            assertThat(presented.types()).contains(AuditorCredential.TYPE);
            assertThat(presented.subject().get(AuditorCredential.AUDIT_SCOPE)).isEqualTo(List.of(connector.id()));
        });
    }

    @Test
    void verify_whenTheCredentialIsAVc11Jwt_shouldAcceptItToo() {
        var credential = authority.issuer.issueVc11(Credentials.AUDITOR, CredentialIssuer.auditor(auditor.id(), List.of("*")),
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), authority.nextStatus()).getContent();

        var result = verifier.verify(bearer(tokens.token(connector.id(), "GET", TARGET, List.of(credential)).getContent()), "GET", TARGET);

        assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
        assertThat(result.getContent().credentials()).singleElement()
                .satisfies(presented -> assertThat(presented.subject().get(AuditorCredential.AUDIT_SCOPE)).isEqualTo(List.of("*")));
    }

    @Test
    void verify_whenTheSameTokenComesAgain_shouldRefuseTheReplay() {
        var token = bearer(tokens.token(connector.id(), "GET", TARGET, List.of(auditorCredential())).getContent());
        assertThat(verifier.verify(token, "GET", TARGET).succeeded()).isTrue();

        var again = verifier.verify(token, "GET", TARGET);

        assertThat(again.failed()).isTrue();
        assertThat(again.getFailureDetail()).contains("already used");
    }

    @Nested
    class Refused {

        @Test
        void verify_whenTheTokenWasMadeForAnotherRequest_shouldRefuseAndNotSpendIt() {
            var token = bearer(tokens.token(connector.id(), "GET", "/auditor/v1/decisions?limit=10", List.of(auditorCredential())).getContent());

            assertRefused(verifier.verify(token, "GET", "/auditor/v1/decisions?limit=1000"), "not made for this request");
            assertRefused(verifier.verify(token, "POST", "/auditor/v1/decisions?limit=10"), "not made for this request");
            // refused requests left nothing behind: the token still works for its own request
            assertThat(verifier.verify(token, "GET", "/auditor/v1/decisions?limit=10").succeeded()).isTrue();
        }

        @Test
        void verify_whenAddressedToAnotherConnector_shouldRefuse() {
            var token = tokens.token("did:web:elsewhere.example", "GET", TARGET, List.of(auditorCredential())).getContent();

            assertRefused(verifier.verify(bearer(token), "GET", TARGET), "audience");
        }

        @Test
        void verify_whenExpired_shouldRefuse() {
            var past = new SignedRequestTokens(auditor, Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), java.time.ZoneOffset.UTC), Duration.ofMinutes(2));
            var token = past.token(connector.id(), "GET", TARGET, List.of(auditorCredential())).getContent();

            assertRefused(verifier.verify(bearer(token), "GET", TARGET), "expired");
        }

        @Test
        void verify_whenLivingLongerThanFiveMinutes_shouldRefuse() {
            var token = new SignedRequestTokens(auditor, Clock.systemUTC(), Duration.ofMinutes(30))
                    .token(connector.id(), "GET", TARGET, List.of(auditorCredential())).getContent();

            assertRefused(verifier.verify(bearer(token), "GET", TARGET), "lifetime");
        }

        @Test
        void verify_whenTheCredentialIsRevoked_shouldRefuse() {
            var status = authority.nextStatus();
            var credential = authority.issuer.issue(Credentials.AUDITOR, CredentialIssuer.auditor(auditor.id(), List.of("*")),
                    Instant.now().minusSeconds(60), null, status).getContent();
            authority.revoke(status);

            assertRefused(verifier.verify(bearer(tokens.token(connector.id(), "GET", TARGET, List.of(credential)).getContent()), "GET", TARGET), "revoked");
        }

        @Test
        void verify_whenTheIssuerIsNotTrusted_shouldRefuse() {
            var credential = stranger.issue(Credentials.AUDITOR, CredentialIssuer.auditor(auditor.id(), List.of("*")));

            assertRefused(verifier.verify(bearer(tokens.token(connector.id(), "GET", TARGET, List.of(credential)).getContent()), "GET", TARGET),
                    "not a trusted issuer");
        }

        @Test
        void verify_whenTheCredentialIsSomeoneElses_shouldRefuse() {
            var credential = authority.issue(Credentials.AUDITOR, CredentialIssuer.auditor(connector.id(), List.of("*")));

            assertRefused(verifier.verify(bearer(tokens.token(connector.id(), "GET", TARGET, List.of(credential)).getContent()), "GET", TARGET),
                    "is not the presenter");
        }

        @Test
        void verify_whenSignedByAnotherKeyThanTheCallersDid_shouldRefuse() {
            // the impostor signs with its own key but claims to be the auditor
            var impostor = DidTestFixtures.publish(server, "impostor", null);
            var token = new SignedRequestTokens(impostor, Clock.systemUTC(), Duration.ofMinutes(2))
                    .token(connector.id(), "GET", TARGET, List.of(auditorCredential())).getContent();
            var forged = token.split("\\.");
            var payload = new String(java.util.Base64.getUrlDecoder().decode(forged[1])).replace(impostor.id(), auditor.id());
            var reassembled = forged[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + forged[2];

            assertThat(verifier.verify(bearer(reassembled), "GET", TARGET).failed()).isTrue();
        }

        @Test
        void verify_whenNoCredentialsArePresented_shouldRefuse() {
            var idToken = new SelfIssuedTokens(auditor, Clock.systemUTC(), Duration.ofMinutes(2)).idToken(connector.id(), null).getContent();

            assertRefused(verifier.verify(bearer(idToken), "GET", TARGET), "req");
        }

        @Test
        void verify_whenNotABearerToken_shouldRefuse() {
            assertRefused(verifier.verify("Basic YXVkaXRvcjpzZWNyZXQ=", "GET", TARGET), "not a Bearer token");
            assertRefused(verifier.verify("Bearer not-a-jwt", "GET", TARGET), "not a signed JWT");
        }

        private void assertRefused(org.eclipse.edc.spi.result.Result<SignedRequestVerifier.SignedRequest> result, String reason) {
            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains(reason).doesNotContain("eyJ");
        }
    }

    private String auditorCredential() {
        return authority.issue(Credentials.AUDITOR, CredentialIssuer.auditor(auditor.id(), List.of("*")));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
