package io.kakehashi.identity.dcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.dcp.holder.PresentationService.Refused;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static io.kakehashi.identity.dcp.IdentityHubTestFixtures.envelope;
import static io.kakehashi.identity.dcp.IdentityHubTestFixtures.envelopedPresentation;
import static io.kakehashi.identity.dcp.IdentityHubTestFixtures.vc11Presentation;
import static io.kakehashi.identity.dcp.Vc11TestFixtures.vc11;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kakehashi with a peer whose credential service is EDC's IdentityHub 0.15.1: as verifier, it asks in DCP 1.0's scope
 * alias, falls back to EDC's on the 403 IdentityHub answers and remembers that per peer, and accepts IdentityHub's
 * enveloped VC 2.0 and VC 1.1 JWT presentations — still refusing a wrong holder, a credential about someone else, an
 * expired or untrusted credential, a bad signature. As holder, it answers a verifier asking in EDC's alias in the forms
 * EDC reads. Carol's credential service here is a stand-in that answers exactly as IdentityHub does.
 */
class IdentityHubPresentationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EDC_MEMBERSHIP_SCOPE = "org.eclipse.edc.vc.type:MembershipCredential:read";

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Authority rogue;
    private TrustedIssuers trusted;
    private Participant bob;
    private Participant carol;
    /** what carol's IdentityHub stand-in answers with, given the verifier's DID */
    private volatile Supplier<List<String>> carolAnswers;
    private final List<List<String>> carolQueries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        rogue = new Authority(server, "rogue");
        trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of())));
        bob = new Participant(server, "bob", work, trusted, Clock.systemUTC());
        carol = new Participant(server, "carol", work, trusted, Clock.systemUTC());
        server.onPost("/carol" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> {
            try {
                return identityHub(authorization, body);
            } catch (IOException e) {
                return new DidDocumentServer.Answer(400, null);
            }
        });
    }

    private DidDocumentServer.Answer identityHub(String authorization, String body) throws IOException {
        {
            var message = MAPPER.readValue(body, new TypeReference<Map<String, Object>>() {
            });
            @SuppressWarnings("unchecked")
            var scopes = (List<String>) message.get("scope");
            carolQueries.add(scopes);
            // EdcScopeToCriterionTransformer: "Scope alias MUST be org.eclipse.edc.vc.type", a NotAuthorizedException (403)
            if (!authorization.startsWith("Bearer ") || scopes.stream().anyMatch(scope -> !scope.startsWith("org.eclipse.edc.vc.type:"))) {
                return new DidDocumentServer.Answer(403, "[{\"message\":\"Scope alias MUST be org.eclipse.edc.vc.type\",\"type\":\"NotAuthorized\"}]");
            }
            return new DidDocumentServer.Answer(200, MAPPER.writeValueAsString(IdentityHubTestFixtures.response(carolAnswers.get())));
        }
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private String membership(Authority authority, String subject) {
        return authority.issue(Credentials.MEMBERSHIP, Map.of("id", subject, Credentials.MEMBER_OF, "catena-x"));
    }

    private Result<ClaimToken> carolCallsBob() {
        var token = carol.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", bob.did.id()).build()).getContent();
        return bob.identity.verifyJwtToken("p", token, VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build());
    }

    private void assertRefused(String reason) {
        var result = carolCallsBob();
        assertThat(result.failed()).isTrue();
        assertThat(bob.monitor.warnings).last().asString().contains(reason);
    }

    @Nested
    class AsVerifier {

        @Test
        void verify_whenIdentityHubRefusesDcpAliasAndAnswersEnveloped_shouldAcceptAndRememberEdcsAlias() {
            var credential = membership(japan, carol.did.id());
            carolAnswers = () -> List.of(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)));

            var first = carolCallsBob();
            var second = carolCallsBob();

            assertThat(first.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
            assertThat(VerifiedClaims.of(carol.did.id(), first.getContent().getClaims()).memberships()).containsExactly("catena-x");
            assertThat(second.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
            // the first request asked twice (DCP 1.0's alias, refused; then EDC's), the second only in EDC's
            assertThat(carolQueries).hasSize(3);
            assertThat(carolQueries.get(0)).allMatch(scope -> scope.startsWith(Dcp.SCOPE_PREFIX));
            assertThat(carolQueries.get(1)).contains(EDC_MEMBERSHIP_SCOPE).allMatch(scope -> scope.startsWith(Dcp.EDC_SCOPE_PREFIX));
            assertThat(carolQueries.get(2)).allMatch(scope -> scope.startsWith(Dcp.EDC_SCOPE_PREFIX));
        }

        @Test
        void verify_whenIdentityHubAnswersVc11JwtPresentation_shouldAccept() {
            var credential = vc11(japan, Credentials.MEMBERSHIP, Map.of("id", carol.did.id(), Credentials.MEMBER_OF, "catena-x"));
            carolAnswers = () -> List.of(vc11Presentation(carol.did, bob.did.id(), List.of(credential)));

            var result = carolCallsBob();

            assertThat(result.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
            assertThat(VerifiedClaims.of(carol.did.id(), result.getContent().getClaims()).memberships()).containsExactly("catena-x");
        }

        @Test
        void verify_whenEnvelopedHolderIsAnotherDid_shouldRefuse() {
            var credential = membership(japan, carol.did.id());
            carolAnswers = () -> List.of(envelopedPresentation(carol.did, bob.did.id(), List.of(credential)));

            assertRefused("enveloped presentation holder '%s' is not the caller".formatted(bob.did.id()));
        }

        @Test
        void verify_whenEnvelopedCredentialIsAboutAnotherDid_shouldRefuse() {
            var credential = membership(japan, bob.did.id());
            carolAnswers = () -> List.of(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)));

            assertRefused("not the presenter");
        }

        @Test
        void verify_whenEnvelopedCredentialExpired_shouldRefuse() {
            var expired = japan.issuer.issue(Credentials.MEMBERSHIP, Map.of("id", carol.did.id(), Credentials.MEMBER_OF, "catena-x"),
                    Instant.now().minusSeconds(7200), Instant.now().minusSeconds(3600), japan.nextStatus()).getContent();
            carolAnswers = () -> List.of(envelopedPresentation(carol.did, carol.did.id(), List.of(expired)));

            assertRefused("expired");
        }

        @Test
        void verify_whenEnvelopedCredentialFromUntrustedIssuer_shouldRefuse() {
            var credential = membership(rogue, carol.did.id());
            carolAnswers = () -> List.of(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)));

            assertRefused("not a trusted issuer");
        }

        @Test
        void verify_whenEnvelopedCredentialRevoked_shouldRefuse() {
            var entry = japan.nextStatus();
            var credential = japan.issuer.issue(Credentials.MEMBERSHIP, Map.of("id", carol.did.id(), Credentials.MEMBER_OF, "catena-x"),
                    Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), entry).getContent();
            japan.revoke(entry);
            carolAnswers = () -> List.of(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)));

            assertRefused("revoked");
        }

        @Test
        void verify_whenEnvelopeSignedByAnotherKey_shouldRefuse() {
            var credential = membership(japan, carol.did.id());
            carolAnswers = () -> {
                var genuine = Jws.parse(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)), "vp").getContent();
                // bob's key under carol's key id
                return List.of(Jws.sign(genuine.payload(), bob.did.signingKey(), carol.did.methodId(carol.did.signingKey()), "JWT").getContent());
            };

            assertRefused("presentation signature does not verify");
        }

        @Test
        void verify_whenInnerPresentationSignedByAnotherKey_shouldRefuse() {
            var credential = membership(japan, carol.did.id());
            carolAnswers = () -> {
                var genuine = Jws.parse(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)), "vp").getContent();
                var innerJwt = genuine.payload().get("id").toString().substring("data:application/vp+jwt,".length());
                var inner = Jws.parse(innerJwt, "vp").getContent();
                var forged = Jws.sign(inner.payload(), bob.did.signingKey(), carol.did.methodId(carol.did.signingKey()), "JWT").getContent();
                return List.of(envelope(carol.did, "data:application/vp+jwt," + forged, Map.of()));
            };

            assertRefused("enveloped presentation signature does not verify");
        }

        @Test
        void verify_whenEnvelopeAddressedToAnotherVerifier_shouldRefuse() {
            var credential = membership(japan, carol.did.id());
            carolAnswers = () -> {
                var inner = Jws.parse(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)), "vp").getContent().payload().get("id").toString();
                return List.of(envelope(carol.did, inner, Map.of("aud", server.did("dave"))));
            };

            assertRefused("does not name this connector");
        }

        @Test
        void verify_whenEnvelopeExpired_shouldRefuse() {
            var credential = membership(japan, carol.did.id());
            carolAnswers = () -> {
                var inner = Jws.parse(envelopedPresentation(carol.did, carol.did.id(), List.of(credential)), "vp").getContent().payload().get("id").toString();
                return List.of(envelope(carol.did, inner, Map.of("exp", Instant.now().minusSeconds(3600).getEpochSecond())));
            };

            assertRefused("enveloped presentation expired");
        }

        @Test
        void verify_whenEnvelopeCarriesNoPresentation_shouldRefuse() {
            carolAnswers = () -> List.of(envelope(carol.did, "https://example.com/vp", Map.of()));

            assertRefused("does not carry a vp+jwt");
        }
    }

    @Nested
    class AsHolder {

        private final List<Refused> refusals = new CopyOnWriteArrayList<>();
        private Participant alice;
        private PresentationService holder;
        private PresentationVerifier verifier;

        @BeforeEach
        void setUp() {
            alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
            var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
            holder = new PresentationService(alice.did, new DirectoryCredentialStore(alice.credentials, alice.did.id(), alice.monitor), alice.tokens,
                    new IdTokenVerifier(keys, alice.seenTokens, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofMinutes(10)), alice.seenTokens, Clock.systemUTC());
            var statusLists = new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, Clock.systemUTC(), Duration.ZERO);
            verifier = new PresentationVerifier(keys, new CredentialVerifier(keys, trusted, statusLists, Clock.systemUTC(), Duration.ofSeconds(30)),
                    Clock.systemUTC(), Duration.ofSeconds(30));
        }

        private List<String> askInEdcsAlias() {
            var access = alice.tokens.accessToken(bob.did.id(), List.of(EDC_MEMBERSHIP_SCOPE)).getContent();
            var answer = holder.query("Bearer " + bob.tokens.idToken(alice.did.id(), access).getContent(),
                    Map.of("@context", List.of(Dcp.DCP_CONTEXT), "type", Dcp.PRESENTATION_QUERY_MESSAGE, "scope", List.of(EDC_MEMBERSHIP_SCOPE)), refusals::add);
            assertThat(answer.succeeded()).as(refusals.toString()).isTrue();
            return ((List<?>) answer.getContent().get("presentation")).stream().map(Object::toString).toList();
        }

        @Test
        void query_whenEdcAliasAndBothFormsOfATypeHeld_shouldPresentOnlyTheVc11One() {
            alice.hold("membership-vc11", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id(), Credentials.MEMBER_OF, "catena-x")));
            alice.hold("membership-vc2", membership(japan, alice.did.id()));

            var presentations = askInEdcsAlias();

            assertThat(presentations).singleElement().satisfies(vp -> {
                var payload = Jws.parse(vp, "vp").getContent().payload();
                assertThat(payload).containsKey("vp").containsEntry("iss", alice.did.id()).containsEntry("aud", bob.did.id());
            });
        }

        @Test
        void query_whenEdcAliasAndOnlyVc2Held_shouldAnswerAnEnvelopedPresentationAKakehashiVerifierAccepts() {
            alice.hold("membership-vc2", membership(japan, alice.did.id()));

            var presentations = askInEdcsAlias();

            assertThat(presentations).singleElement().satisfies(vp -> {
                var payload = Jws.parse(vp, "vp").getContent().payload();
                assertThat(payload).containsEntry("type", PresentationVerifier.ENVELOPED_PRESENTATION);
                assertThat(payload.get("id").toString()).startsWith("data:application/vp+jwt,");
                // EDC reads the holder of an enveloped presentation from the inner JWT's iss
                var inner = Jws.parse(payload.get("id").toString().substring("data:application/vp+jwt,".length()), "vp").getContent().payload();
                assertThat(inner).containsEntry("iss", alice.did.id()).containsEntry("holder", alice.did.id());
                var verified = verifier.verify(vp, alice.did.id(), bob.did.id());
                assertThat(verified.succeeded()).as(String.valueOf(verified.getFailureMessages())).isTrue();
                assertThat(verifier.verify(vp, alice.did.id(), server.did("dave")).getFailureDetail()).contains("does not name this connector");
            });
        }
    }
}
