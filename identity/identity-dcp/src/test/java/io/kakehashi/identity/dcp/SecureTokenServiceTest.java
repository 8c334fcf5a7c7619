package io.kakehashi.identity.dcp;

import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.dcp.holder.SecureTokenService;
import io.kakehashi.identity.dcp.holder.SecureTokenService.Refusal;
import io.kakehashi.identity.dcp.holder.SecureTokenService.Refused;
import io.kakehashi.identity.did.DidDocumentServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Alice's secure token service answering her own client over HTTP (OAuth 2.0 client credentials). */
class SecureTokenServiceTest {

    private static final String SCOPES = "org.eclipse.dspace.dcp.vc.type:MembershipCredential:read org.eclipse.edc.vc.type:SensitiveDataCredential:read";

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Participant alice;
    private SecureTokenService sts;
    private String verifier;
    private final List<Refused> refusals = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        alice = new Participant(server, "alice", work, new TrustedIssuers(List.of()), Clock.systemUTC());
        sts = new SecureTokenService(alice.tokens, "alice-client", "s3cret-value");
        verifier = server.did("bob");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void token_whenClientAuthenticated_shouldBeAliceIdTokenForTheAudienceGrantingTheScopes() throws Exception {
        var answer = sts.token("client_credentials", "alice-client", "s3cret-value", verifier, SCOPES, refusals::add);

        assertThat(answer.succeeded()).as(refusals.toString()).isTrue();
        assertThat(answer.getContent()).containsEntry("token_type", "Bearer").containsKey("expires_in");
        var idToken = SignedJWT.parse((String) answer.getContent().get("access_token")).getJWTClaimsSet();
        assertThat(idToken.getIssuer()).isEqualTo(alice.did.id());
        assertThat(idToken.getSubject()).isEqualTo(alice.did.id());
        assertThat(idToken.getAudience()).containsExactly(verifier);
        var access = alice.tokens.verifyOwnAccessToken((String) idToken.getClaim(Dcp.TOKEN_CLAIM));
        assertThat(access.succeeded()).isTrue();
        assertThat(access.getContent().getSubject()).isEqualTo(verifier);
        assertThat((String) access.getContent().getClaim(Dcp.SCOPE_CLAIM)).isEqualTo(SCOPES);
    }

    @Test
    void token_whenSecretWrong_shouldBeAnInvalidClient() {
        assertThat(sts.token("client_credentials", "alice-client", "guess", verifier, SCOPES, refusals::add).failed()).isTrue();
        assertThat(sts.token("client_credentials", "alice-client", null, verifier, SCOPES, refusals::add).failed()).isTrue();
        assertThat(sts.token("client_credentials", "mallory", "s3cret-value", verifier, SCOPES, refusals::add).failed()).isTrue();

        assertThat(refusals).extracting(Refused::kind).containsOnly(Refusal.INVALID_CLIENT);
        assertThat(refusals).extracting(Refused::reason).noneMatch(reason -> reason.contains("s3cret") || reason.contains("guess"));
    }

    @Test
    void token_whenGrantTypeIsNotClientCredentials_shouldSaySo() {
        sts.token("password", "alice-client", "s3cret-value", verifier, SCOPES, refusals::add);

        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(Refusal.UNSUPPORTED_GRANT_TYPE));
    }

    @Test
    void token_whenAudienceIsNotADid_shouldSaySo() {
        sts.token("client_credentials", "alice-client", "s3cret-value", "https://bob.example", SCOPES, refusals::add);

        assertThat(refusals).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Refusal.INVALID_REQUEST);
            assertThat(r.reason()).contains("not a DID");
        });
    }

    @Test
    void token_whenScopesMissingOrNotCredentialReadScopes_shouldSaySo() {
        sts.token("client_credentials", "alice-client", "s3cret-value", verifier, " ", refusals::add);
        sts.token("client_credentials", "alice-client", "s3cret-value", verifier, "org.eclipse.dspace.dcp.vc.type:MembershipCredential:write", refusals::add);
        sts.token("client_credentials", "alice-client", "s3cret-value", verifier, "openid", refusals::add);

        assertThat(refusals).extracting(Refused::kind).containsExactly(Refusal.INVALID_SCOPE, Refusal.INVALID_SCOPE, Refusal.INVALID_SCOPE);
    }
}
