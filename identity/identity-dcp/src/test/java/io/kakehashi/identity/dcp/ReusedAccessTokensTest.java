package io.kakehashi.identity.dcp;

import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.WebDid;
import io.kakehashi.testfixtures.MapVault;
import org.junit.jupiter.api.Test;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReusedAccessTokensTest {

    private static final List<String> SCOPES = List.of("org.eclipse.edc.vc.type:MembershipCredential:read");
    private static final String BOB = "did:web:bob.example";

    private final SettableClock clock = new SettableClock();
    private final AtomicReference<String> credentials = new AtomicReference<>("set-1");
    private final SelfIssuedTokens tokens = selfIssuedTokens();
    private final ReusedAccessTokens reused = new ReusedAccessTokens(tokens, credentials::get, clock, 2);

    @Test
    void accessToken_whenAskedAgainForOneVerifier_shouldHandOutTheSameToken() {
        var first = reused.accessToken(BOB, SCOPES).getContent();

        clock.advance(Duration.ofMinutes(2));

        assertThat(reused.accessToken(BOB, SCOPES).getContent()).isEqualTo(first);
    }

    @Test
    void accessToken_whenHalfItsLifetimeHasPassed_shouldIssueANewOneThatStillHasTheOtherHalf() throws ParseException {
        var first = reused.accessToken(BOB, SCOPES).getContent();

        clock.advance(Duration.ofSeconds(150));
        var second = reused.accessToken(BOB, SCOPES).getContent();

        assertThat(second).isNotEqualTo(first);
        assertThat(SignedJWT.parse(second).getJWTClaimsSet().getExpirationTime().toInstant())
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void accessToken_whenTheCredentialsHeldChanged_shouldIssueANewOne() {
        var first = reused.accessToken(BOB, SCOPES).getContent();

        credentials.set("set-2");

        assertThat(reused.accessToken(BOB, SCOPES).getContent()).isNotEqualTo(first);
    }

    @Test
    void accessToken_forAnotherVerifierOrOtherScopes_shouldBeAnotherToken() throws ParseException {
        var bobs = reused.accessToken(BOB, SCOPES).getContent();

        var carols = reused.accessToken("did:web:carol.example", SCOPES).getContent();
        var otherScopes = reused.accessToken(BOB, List.of("org.eclipse.edc.vc.type:LegalEntityCredential:read")).getContent();

        assertThat(carols).isNotEqualTo(bobs);
        assertThat(SignedJWT.parse(carols).getJWTClaimsSet().getSubject()).as("granted to the verifier it is for").isEqualTo("did:web:carol.example");
        assertThat(otherScopes).isNotEqualTo(bobs);
    }

    @Test
    void accessToken_whenMoreVerifiersThanRemembered_shouldForgetTheLeastRecentlyUsed() {
        var bobs = reused.accessToken(BOB, SCOPES).getContent();
        reused.accessToken("did:web:carol.example", SCOPES);
        reused.accessToken("did:web:dave.example", SCOPES);

        assertThat(reused.accessToken(BOB, SCOPES).getContent()).isNotEqualTo(bobs);
    }

    @Test
    void new_whenNoVerifierCanBeRemembered_shouldRefuse() {
        assertThatThrownBy(() -> new ReusedAccessTokens(tokens, credentials::get, clock, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private SelfIssuedTokens selfIssuedTokens() {
        var ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(clock.instant());
        var webDid = WebDid.parse("did:web:alice.example").getContent();
        return new SelfIssuedTokens(new OwnDid(webDid, ring, webDid.baseUrl(true).toString()), clock, Duration.ofMinutes(5));
    }
}
