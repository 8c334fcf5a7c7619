package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.StatusEntry;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.dcp.verifier.PresentationCache;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier's presentation cache between two connectors over loopback: Alice calls, Bob verifies with a presentation
 * cache of one minute and a status-list cache of 30 seconds, both on a clock the test moves.
 */
class PresentationCachingTest {

    private static final Duration STATUS_LIST_CACHE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Participant alice;
    private Participant bob;
    private final SettableClock bobsClock = new SettableClock();
    private StatusEntry membershipStatus;

    @BeforeEach
    void setUp() throws java.io.IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of())));
        alice = new Participant(server, "alice", work, trusted, bobsClock);
        bob = new Participant(server, "bob", work, trusted, bobsClock, STATUS_LIST_CACHE,
                new PresentationCache(Duration.ofMinutes(1), 100, bobsClock));
        membershipStatus = japan.nextStatus();
        alice.hold("membership", japan.issuer.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x"),
                Instant.now().minusSeconds(60), null, membershipStatus).getContent());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void verify_twoRequestsFromOnePeer_shouldCostOnePresentationQuery() {
        var first = bobVerifies(aliceToken());
        var second = bobVerifies(aliceToken());

        assertThat(first.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
        assertThat(second.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
        assertThat(alice.presentationQueries.get()).isEqualTo(1);
        assertThat(VerifiedClaims.of(alice.did.id(), second.getContent().getClaims()).memberships()).containsExactly("manufacturing-x");
        assertThat(second.getContent().getStringClaim(Dcp.PARTICIPANT_ID_CLAIM)).isEqualTo(alice.did.id());
    }

    @Test
    void verify_whenThePeerSendsANewAccessToken_shouldAskForWhatItPresentsNow() {
        // the DCP TCK's sequence: one good request, then from the same DID and scopes a request whose presentation is
        // empty, with a new access token, as every stock EDC and TCK request carries
        assertThat(bobVerifies(aliceToken()).succeeded()).isTrue();
        alice.dropCredentials();

        var fresh = alice.tokens.accessToken(bob.did.id(), Dcp.scopes(List.of("MembershipCredential", "LegalEntityCredential", "CertificationCredential")))
                .compose(accessToken -> alice.tokens.idToken(bob.did.id(), accessToken)).getContent();
        var refused = bobVerifies(TokenRepresentation.Builder.newInstance().token("Bearer " + fresh).build());

        assertThat(refused.failed()).isTrue();
        assertThat(refused.getFailureDetail()).contains("MembershipCredential");
        assertThat(alice.presentationQueries.get()).isEqualTo(2);
    }

    @Test
    void verify_whenThePeersCredentialsChanged_shouldAskAgain() {
        assertThat(bobVerifies(aliceToken()).succeeded()).isTrue();

        alice.hold("legal-entity", japan.issuer.issue(Credentials.LEGAL_ENTITY,
                CredentialIssuer.legalEntity(alice.did.id(), "Alice K.K.", "JP", "JCN:1180301018771"), Instant.now().minusSeconds(60), null, null).getContent());
        var second = bobVerifies(aliceToken());

        assertThat(second.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
        assertThat(alice.presentationQueries.get()).as("a new credential gives a new access token, which is asked with").isEqualTo(2);
        assertThat(VerifiedClaims.of(alice.did.id(), second.getContent().getClaims()).legalName()).contains("Alice K.K.");
    }

    @Test
    void verify_whenRevokedAfterTheClaimsWereCached_shouldRefuseOnceTheStatusListCacheHasPassed() {
        assertThat(bobVerifies(aliceToken()).succeeded()).isTrue();

        japan.revoke(membershipStatus);
        // within the status list's cache time the revocation is not seen, with or without the presentation cache
        assertThat(bobVerifies(aliceToken()).succeeded()).isTrue();
        bobsClock.advance(STATUS_LIST_CACHE.plusSeconds(1));

        var refused = bobVerifies(aliceToken());
        assertThat(refused.failed()).isTrue();
        assertThat(refused.getFailureDetail()).contains("is revoked");
        assertThat(alice.presentationQueries.get()).isEqualTo(2);
    }

    @Test
    void verify_whenTheCachedClaimsAreOlderThanTheSetting_shouldQueryAgain() {
        var noStatusBob = new Participant(server, "carol", work, new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of()))), bobsClock,
                Duration.ofHours(1), new PresentationCache(Duration.ofMinutes(1), 100, bobsClock));
        var token = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", noStatusBob.did.id()).build()).getContent();
        assertThat(verify(noStatusBob, token).succeeded()).isTrue();
        bobsClock.advance(Duration.ofSeconds(61));

        var again = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", noStatusBob.did.id()).build()).getContent();
        assertThat(verify(noStatusBob, again).succeeded()).as(noStatusBob.monitor.warnings.toString()).isTrue();

        assertThat(alice.presentationQueries.get()).isEqualTo(2);
    }

    @Test
    void verify_whenCached_shouldStillRefuseAReplayedToken() {
        var token = aliceToken();
        assertThat(bobVerifies(token).succeeded()).isTrue();

        var replayed = bobVerifies(token);

        assertThat(replayed.failed()).isTrue();
        assertThat(replayed.getFailureDetail()).contains("replay");
    }

    @Test
    void verify_whenCached_shouldStillRefuseATokenForAnotherAudience() {
        assertThat(bobVerifies(aliceToken()).succeeded()).isTrue();

        var token = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", "did:web:someone-else.example").build()).getContent();
        var refused = bobVerifies(token);

        assertThat(refused.failed()).isTrue();
        assertThat(alice.presentationQueries.get()).isEqualTo(1);
    }

    @Test
    void verify_whenTheCacheIsDisabled_shouldQueryOnEveryRequest() {
        var uncached = new Participant(server, "dave", work, new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of()))), bobsClock,
                STATUS_LIST_CACHE, new PresentationCache(Duration.ZERO, 100, bobsClock));
        for (var i = 0; i < 2; i++) {
            var token = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", uncached.did.id()).build()).getContent();
            assertThat(verify(uncached, token).succeeded()).isTrue();
        }

        assertThat(alice.presentationQueries.get()).isEqualTo(2);
    }

    private TokenRepresentation aliceToken() {
        return alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", bob.did.id()).build()).getContent();
    }

    private Result<ClaimToken> bobVerifies(TokenRepresentation token) {
        return verify(bob, token);
    }

    private static Result<ClaimToken> verify(Participant verifier, TokenRepresentation token) {
        return verifier.identity.verifyJwtToken("p", token, VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build());
    }
}
