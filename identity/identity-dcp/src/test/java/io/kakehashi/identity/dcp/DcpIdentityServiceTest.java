package io.kakehashi.identity.dcp;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.StatusEntry;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import io.kakehashi.identity.dcp.verifier.CredentialServiceUnavailable;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two connectors' identities talking DCP over loopback: Alice (the caller, holding credentials) and Bob (the verifier),
 * with a Japanese and a European authority as trust anchors and a rogue authority nobody trusts.
 */
class DcpIdentityServiceTest {

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Authority europe;
    private Authority rogue;
    private Participant alice;
    private Participant bob;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        europe = new Authority(server, "authority-eu");
        rogue = new Authority(server, "rogue");
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of()), new TrustedIssuer(europe.did.id(), Set.of())));
        alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
        bob = new Participant(server, "bob", work, trusted, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Nested
    class Accepted {

        @Test
        void verify_whenCallerHoldsTrustedCredentials_shouldCarryTypedClaims() {
            alice.hold("membership", japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")));
            alice.hold("legal", europe.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(alice.did.id(), "Alice K.K.", "JP", CredentialTestFixtures.VALID_JCN)));
            alice.hold("isms", japan.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001")));

            var claims = bobVerifies(aliceToken(bob.did.id()));

            assertThat(claims.succeeded()).as(String.valueOf(bob.monitor.warnings) + alice.monitor.warnings).isTrue();
            assertThat(claims.getContent().getStringClaim(Dcp.PARTICIPANT_ID_CLAIM)).isEqualTo(alice.did.id());
            var verified = VerifiedClaims.of(alice.did.id(), claims.getContent().getClaims());
            assertThat(verified.countryOfRegistration()).contains("JP");
            assertThat(verified.legalName()).contains("Alice K.K.");
            assertThat(verified.registryId()).map(Object::toString).contains(CredentialTestFixtures.VALID_JCN);
            assertThat(verified.memberships()).containsExactly("manufacturing-x");
            assertThat(verified.holdsValidCertification("ISO27001", Instant.now())).isTrue();
            assertThat(bob.monitor.warnings).isEmpty();
        }

        @Test
        void verify_whenCallerRotatedItsKey_shouldAcceptOldAndNewTokens() {
            alice.hold("membership", japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")));
            var before = aliceToken(bob.did.id());
            assertThat(bobVerifies(aliceToken(bob.did.id())).succeeded()).isTrue();

            alice.did.keys().rotate(Instant.now(), Duration.ofHours(1));
            alice.publish();

            assertThat(bobVerifies(before).succeeded()).as(bob.monitor.warnings.toString()).isTrue();
            assertThat(bobVerifies(aliceToken(bob.did.id())).succeeded()).as(bob.monitor.warnings.toString()).isTrue();
        }

        @Test
        void obtainClientCredentials_shouldBeABearerIdTokenWithAnAccessToken() {
            var token = aliceToken(bob.did.id());

            assertThat(token.getToken()).startsWith("Bearer ");
            var payload = Jws.parse(token.getToken().substring(7), "token").getContent().payload();
            assertThat(payload).containsEntry("iss", alice.did.id()).containsEntry("sub", alice.did.id()).containsEntry("aud", bob.did.id());
            assertThat(payload.get(Dcp.TOKEN_CLAIM)).isInstanceOf(String.class);
        }

        @Test
        void obtainClientCredentials_whenCounterPartyIsNoDid_shouldFail() {
            var token = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", "bob").build());

            assertThat(token.failed()).isTrue();
        }
    }

    @Nested
    class Refused {

        @BeforeEach
        void aliceIsAMember() {
            alice.hold("membership", japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")));
        }

        @Test
        void verify_whenSignatureForged_shouldNameTheSignatureCheck() {
            var jwt = aliceToken(bob.did.id()).getToken().substring(7);
            var other = DidKeyRing.generate().getContent();
            var forged = Jws.sign(Jws.parse(jwt, "t").getContent().payload(), other, alice.did.methodId(alice.did.signingKey()), "JWT").getContent();

            assertRefused(bobVerifies(bearer(forged)), "token signature does not verify");
        }

        @Test
        void verify_whenAudienceIsAnotherConnector_shouldNameTheAudienceCheck() {
            assertRefused(bobVerifies(aliceToken(server.did("carol"))), "audience");
        }

        @Test
        void verify_whenTokenExpired_shouldNameTheExpiry() {
            var past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), java.time.ZoneOffset.UTC);
            var oldTokens = new SelfIssuedTokens(alice.did, past, Duration.ofMinutes(5));
            var accessToken = oldTokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

            assertRefused(bobVerifies(bearer(oldTokens.idToken(bob.did.id(), accessToken).getContent())), "token expired");
        }

        @Test
        void verify_whenTokenReplayed_shouldNameTheReplay() {
            var token = aliceToken(bob.did.id());
            assertThat(bobVerifies(token).succeeded()).isTrue();

            assertRefused(bobVerifies(token), "already used (replay)");
        }

        @Test
        void verify_whenCallerDidUnresolvable_shouldSaySo() {
            var ghost = new Participant(server, "ghost", work, new TrustedIssuers(List.of()), Clock.systemUTC());
            server.put("/ghost/did.json", "{}");
            var token = ghost.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", bob.did.id()).build()).getContent();

            assertRefused(bobVerifies(token), "cannot be resolved");
        }

        @Test
        void verify_whenDidDocumentKeyDoesNotMatch_shouldNameTheSignatureCheck() {
            // Alice's document names her key id but publishes another key under it
            var impostor = DidKeyRing.generate().getContent();
            var document = new LinkedHashMap<>(alice.did.document(Instant.now()));
            var method = new LinkedHashMap<String, Object>(alice.did.document(Instant.now()).get("verificationMethod") instanceof List<?> list ? castMap(list.get(0)) : Map.of());
            method.put("publicKeyJwk", new ECKey.Builder(impostor.toPublicJWK()).keyID(alice.did.signingKey().getKeyID()).build().toPublicJWK().toJSONObject());
            document.put("verificationMethod", List.of(method));
            server.put("/alice/did.json", document);

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "token signature does not verify against key");
        }

        @Test
        void verify_whenHolderPresentsANotYetValidCredential_shouldNameIt() {
            var notYet = japan.issuer.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001"),
                    Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(400)), null).getContent();
            aliceAnswersWith(japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")), notYet);

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "is not valid before");
        }

        @Test
        void verify_whenHolderPresentsAnExpiredCredential_shouldNameIt() {
            var expired = japan.issuer.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001"),
                    Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(1)), null).getContent();
            aliceAnswersWith(japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")), expired);

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "expired at");
        }

        @Test
        void verify_whenPresentationSignedByAnotherKey_shouldNameIt() {
            var membership = japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x"));
            var forger = DidKeyRing.generate().getContent();
            var vp = Jws.sign(presentation(List.of(membership)), forger, alice.did.methodId(alice.did.signingKey()), Credentials.VP_JWT_TYPE).getContent();
            server.onPost("/alice" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> new DidDocumentServer.Answer(200, response(vp)));

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "presentation signature does not verify");
        }

        @Test
        void verify_whenHolderKeepsOnlyOutdatedCredentialsBesideItsMembership_shouldAcceptWithoutThem() {
            alice.hold("isms-old", japan.issuer.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001"),
                    Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(1)), null).getContent());
            alice.hold("isms-next", japan.issuer.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001"),
                    Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(400)), null).getContent());

            var claims = bobVerifies(aliceToken(bob.did.id()));

            assertThat(claims.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
            assertThat(VerifiedClaims.of(alice.did.id(), claims.getContent().getClaims()).certifications()).isEmpty();
        }

        @Test
        void verify_whenCredentialRevoked_shouldNameIt() {
            StatusEntry status = japan.nextStatus();
            alice.hold("membership", japan.issuer.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x"),
                    Instant.now().minusSeconds(60), null, status).getContent());
            assertThat(bobVerifies(aliceToken(bob.did.id())).succeeded()).isTrue();

            japan.revoke(status);

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "is revoked");
        }

        @Test
        void verify_whenIssuerUntrusted_shouldNameIt() {
            alice.hold("membership", rogue.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")));

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "is not a trusted issuer");
        }

        @Test
        void verify_whenCorporateNumberCheckDigitWrong_shouldNameIt() {
            var credential = new LinkedHashMap<String, Object>();
            credential.put("@context", Credentials.CONTEXTS);
            credential.put("type", List.of(Credentials.VERIFIABLE_CREDENTIAL, Credentials.LEGAL_ENTITY));
            credential.put("issuer", japan.did.id());
            credential.put("validFrom", Instant.now().minusSeconds(60).toString());
            credential.put("credentialSubject", CredentialIssuer.legalEntity(alice.did.id(), "Alice K.K.", "JP", CredentialTestFixtures.WRONG_JCN));
            alice.hold("legal", Jws.sign(credential, japan.did.signingKey(), japan.did.methodId(japan.did.signingKey()), Credentials.VC_JWT_TYPE).getContent());

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "wrong check digit");
        }

        @Test
        void verify_whenRequiredMembershipMissing_shouldNameIt() {
            alice.hold("membership", japan.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001")));

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "presented no valid MembershipCredential");
        }

        @Test
        void verify_whenNoAccessToken_shouldNameIt() {
            assertRefused(bobVerifies(bearer(alice.tokens.idToken(bob.did.id(), null).getContent())), "carries no access token");
        }

        @Test
        void verify_whenNotABearerToken_shouldNameIt() {
            var token = aliceToken(bob.did.id()).getToken().substring(7);

            assertRefused(bobVerifies(TokenRepresentation.Builder.newInstance().token(token).build()), "is not a Bearer token");
        }

        @Test
        void verify_whenNotAJwt_shouldRefuseWithoutException() {
            assertRefused(bobVerifies(bearer("garbage")), "not a signed JWT");
        }

        @Test
        void verify_whenAccessTokenGrantedToAnotherVerifier_shouldBeRefusedByTheHolder() {
            var accessToken = alice.tokens.accessToken(server.did("carol"), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

            assertRefused(bobVerifies(bearer(alice.tokens.idToken(bob.did.id(), accessToken).getContent())), "answered HTTP 401");
            assertThat(alice.monitor.warnings).anyMatch(w -> w.contains("was granted to"));
        }
    }

    @Nested
    class NotYetVerifiable {

        @BeforeEach
        void aliceIsAMember() {
            alice.hold("membership", japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")));
        }

        @ParameterizedTest
        @ValueSource(ints = { 429, 502, 503, 504 })
        void verify_whenTheCallersCredentialServiceIsUnavailable_shouldAskForARetryAndNotRefuse(int status) {
            server.onPost("/alice" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> new DidDocumentServer.Answer(status, null));

            assertThatThrownBy(() -> bobVerifies(aliceToken(bob.did.id())))
                    .isInstanceOfSatisfying(CredentialServiceUnavailable.class, e -> {
                        assertThat(e.getResponse().getStatus()).isEqualTo(503);
                        assertThat(e.getResponse().getHeaderString("Retry-After")).isEqualTo("2");
                        assertThat(e.getMessage()).contains("answered HTTP " + status);
                    });
            assertThat(bob.monitor.warnings).noneMatch(w -> w.startsWith("Refused a DSP request token"));
        }

        @Test
        void verify_whenTheCallersCredentialServiceCannotBeReached_shouldAskForARetry() {
            server.onPost("/alice" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> {
                throw new IllegalStateException("the connection drops without an answer");
            });

            assertThatThrownBy(() -> bobVerifies(aliceToken(bob.did.id()))).isInstanceOf(CredentialServiceUnavailable.class);
        }

        @Test
        void verify_whenTheCredentialServiceRefuses_shouldStillRefuse() {
            server.onPost("/alice" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> new DidDocumentServer.Answer(500, null));

            assertRefused(bobVerifies(aliceToken(bob.did.id())), "answered HTTP 500");
        }
    }

    /** Alice's credential service, misbehaving: it answers every query with these credentials, signed by Alice. */
    private void aliceAnswersWith(String... credentials) {
        var vp = Jws.sign(presentation(List.of(credentials)), alice.did.signingKey(), alice.did.methodId(alice.did.signingKey()), Credentials.VP_JWT_TYPE).getContent();
        server.onPost("/alice" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> new DidDocumentServer.Answer(200, response(vp)));
    }

    private Map<String, Object> presentation(List<String> credentials) {
        var vp = new LinkedHashMap<String, Object>();
        vp.put("@context", List.of(Credentials.VC_CONTEXT));
        vp.put("type", List.of("VerifiablePresentation"));
        vp.put("holder", alice.did.id());
        vp.put("verifiableCredential", credentials.stream().map(jwt -> Map.of("id", "data:application/vc+jwt," + jwt, "type", "EnvelopedVerifiableCredential")).toList());
        vp.put("iss", alice.did.id());
        vp.put("aud", bob.did.id());
        vp.put("iat", Instant.now().getEpochSecond());
        vp.put("exp", Instant.now().plusSeconds(300).getEpochSecond());
        return vp;
    }

    private static String response(String vp) {
        return "{\"type\":\"PresentationResponseMessage\",\"presentation\":[\"" + vp + "\"]}";
    }

    private TokenRepresentation aliceToken(String audience) {
        return alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", audience).build()).getContent();
    }

    private Result<ClaimToken> bobVerifies(TokenRepresentation token) {
        return bob.identity.verifyJwtToken("p", token, VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build());
    }

    private static TokenRepresentation bearer(String jwt) {
        return TokenRepresentation.Builder.newInstance().token("Bearer " + jwt).build();
    }

    /** A refusal fails, logs one warning naming the check, and records nothing in the replay store. */
    private void assertRefused(Result<ClaimToken> result, String check) {
        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains(check);
        assertThat(bob.monitor.warnings).anyMatch(w -> w.startsWith("Refused a DSP request token") && w.contains(check));
        assertThat(bob.monitor.warnings).noneMatch(w -> w.startsWith("SEVERE"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }
}
