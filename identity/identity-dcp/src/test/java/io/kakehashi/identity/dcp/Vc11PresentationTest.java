package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.dcp.holder.PresentationService.Refusal;
import io.kakehashi.identity.dcp.holder.PresentationService.Refused;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.identity.dcp.Vc11TestFixtures.vc11;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * VC 1.1 JWT credentials between two connectors: Alice's holder presents them in a VC 1.1 JWT presentation ({@code vp}
 * claim) next to a {@code vp+jwt} for her VC 2.0 ones; Bob's verifier accepts both; scopes in DCP's and EDC's alias.
 */
class Vc11PresentationTest {

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Participant alice;
    private Participant bob;
    private PresentationService holder;
    private final List<Refused> refusals = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of())));
        alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
        bob = new Participant(server, "bob", work, trusted, Clock.systemUTC());
        alice.hold("membership-vc11", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id(), Credentials.MEMBER_OF, "manufacturing-x")));
        alice.hold("isms", japan.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001")));
        var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
        holder = new PresentationService(alice.did, new DirectoryCredentialStore(alice.credentials, alice.did.id(), alice.monitor), alice.tokens,
                new IdTokenVerifier(keys, alice.seenTokens, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofMinutes(10)), alice.seenTokens, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void query_whenBothFormatsHeld_shouldAnswerOnePresentationPerFormat() {
        var access = alice.tokens.accessToken(bob.did.id(), Dcp.scopes(List.of(Credentials.MEMBERSHIP, Credentials.CERTIFICATION))).getContent();

        var answer = holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()),
                query(Dcp.scope(Credentials.MEMBERSHIP), Dcp.scope(Credentials.CERTIFICATION)), refusals::add);

        assertThat(answer.succeeded()).as(refusals.toString()).isTrue();
        var presentations = (List<?>) answer.getContent().get("presentation");
        assertThat(presentations).hasSize(2);
        var vc11 = Jws.parse(presentations.get(0).toString(), "vp").getContent().payload();
        assertThat(vc11).containsEntry("iss", alice.did.id()).containsEntry("aud", bob.did.id());
        var vp = (Map<?, ?>) vc11.get("vp");
        assertThat((List<?>) vp.get("verifiableCredential")).singleElement().isInstanceOf(String.class);
        var vc2 = Jws.parse(presentations.get(1).toString(), "vp").getContent();
        assertThat(vc2.jws().getHeader().getType().getType()).isEqualTo(Credentials.VP_JWT_TYPE);
    }

    @Test
    void query_whenScopesInEdcsAlias_shouldCompareByCredentialType() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of("org.eclipse.edc.vc.type:MembershipCredential:read")).getContent();

        var granted = holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()), query(Dcp.scope(Credentials.MEMBERSHIP)), refusals::add);
        var beyond = holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()), query(Dcp.scope(Credentials.CERTIFICATION)), refusals::add);

        assertThat(granted.succeeded()).as(refusals.toString()).isTrue();
        assertThat(beyond.failed()).isTrue();
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(Refusal.FORBIDDEN));
    }

    @Test
    void query_whenScopeIsNotACredentialReadScope_shouldBeABadRequest() {
        var access = alice.tokens.accessToken(bob.did.id(), Dcp.scopes(List.of(Credentials.MEMBERSHIP))).getContent();

        holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()), query("openid"), refusals::add);

        assertThat(refusals).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Refusal.BAD_REQUEST);
            assertThat(r.reason()).contains("not read scopes");
        });
    }

    @Test
    void verify_whenCallerPresentsVc11Membership_shouldAcceptItWithItsClaims() {
        var token = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", bob.did.id()).build()).getContent();

        var claims = bob.identity.verifyJwtToken("p", token, VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build());

        assertThat(claims.succeeded()).as(bob.monitor.warnings + " " + alice.monitor.warnings).isTrue();
        var verified = VerifiedClaims.of(alice.did.id(), claims.getContent().getClaims());
        assertThat(verified.memberships()).containsExactly("manufacturing-x");
    }

    @Test
    void verify_whenVc11PresentationAddressedToAnotherVerifier_shouldBeRefused() {
        var carol = server.did("carol");
        var presentation = Jws.sign(Map.of("iss", alice.did.id(), "aud", carol, "exp", java.time.Instant.now().plusSeconds(60).getEpochSecond(),
                        "vp", Map.of("type", "VerifiablePresentation", "verifiableCredential", List.of())),
                alice.did.signingKey(), alice.did.methodId(alice.did.signingKey()), "JWT").getContent();
        // the audience is checked before any credential, so no credential verifier is needed
        var verifier = new PresentationVerifier(DidTestFixtures.publicKeys(Clock.systemUTC()), null, Clock.systemUTC(), Duration.ofSeconds(30));

        assertThat(verifier.verify(presentation, alice.did.id(), bob.did.id()).getFailureDetail()).contains("does not name this connector");
    }

    @Test
    void verify_whenVc11PresentationNotYetValid_shouldBeRefused() {
        var presentation = Jws.sign(Map.of("iss", alice.did.id(), "aud", bob.did.id(), "exp", java.time.Instant.now().plusSeconds(7200).getEpochSecond(),
                        "nbf", java.time.Instant.now().plusSeconds(3600).getEpochSecond(),
                        "vp", Map.of("type", "VerifiablePresentation", "verifiableCredential", List.of())),
                alice.did.signingKey(), alice.did.methodId(alice.did.signingKey()), "JWT").getContent();
        var verifier = new PresentationVerifier(DidTestFixtures.publicKeys(Clock.systemUTC()), null, Clock.systemUTC(), Duration.ofSeconds(30));

        assertThat(verifier.verify(presentation, alice.did.id(), bob.did.id()).getFailureDetail()).contains("not valid before");
    }

    private static String bearer(String jwt) {
        return "Bearer " + jwt;
    }

    private static Map<String, Object> query(String... scopes) {
        return Map.of("@context", List.of(Dcp.DCP_CONTEXT), "type", Dcp.PRESENTATION_QUERY_MESSAGE, "scope", List.of(scopes));
    }
}
