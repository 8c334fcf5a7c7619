package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EdcTransferTokenVerifierTest {

    private final FakeAccessTokens tokens = new FakeAccessTokens();
    private final EdcTransferTokenVerifier verifier = new EdcTransferTokenVerifier(tokens, Duration.ofMinutes(30), agreementId -> Result.success());
    private final DataAddress address = DataAddress.Builder.newInstance().type("HttpData").build();

    @Test
    void verify_whenIssuedByTransferTokens_shouldScopeToTransferAndAgreementUntilExp() {
        var issuer = new TransferTokens(tokens, "me", Duration.ofMinutes(5), Clock.systemUTC());
        var token = issuer.issue("t-1", "a-1", "peer", address).getContent();

        var claims = verifier.verify(token).getContent();

        assertThat(claims.transferId()).isEqualTo("t-1");
        assertThat(claims.agreementId()).isEqualTo("a-1");
        assertThat(claims.expiresAt()).isBetween(Instant.now().plusSeconds(200), Instant.now().plusSeconds(301));
    }

    @Test
    void verify_whenTokenHasOnlyIat_shouldExpireAfterTheLifetime() {
        var issuedAt = Instant.now().minusSeconds(60).getEpochSecond();
        var token = tokens.obtainToken(TokenParameters.Builder.newInstance().claims("iat", issuedAt).build(), address,
                Map.of("process_id", "t-2", "agreement_id", "a-2")).getContent().getToken();

        assertThat(verifier.verify(token).getContent().expiresAt()).isEqualTo(Instant.ofEpochSecond(issuedAt).plus(Duration.ofMinutes(30)));
    }

    @Test
    void verify_whenRevokedOrUnscoped_shouldFail() {
        var issuer = new TransferTokens(tokens, "me", Duration.ofMinutes(5), Clock.systemUTC());
        var revoked = issuer.issue("t-3", "a-3", "peer", address).getContent();
        tokens.revoke("t-3", "test");
        var unscoped = tokens.obtainToken(TokenParameters.Builder.newInstance().claims("iat", 1L).build(), address, Map.of())
                .getContent().getToken();

        assertThat(verifier.verify(revoked).failed()).isTrue();
        assertThat(verifier.verify(unscoped).getFailureDetail()).contains("not scoped");
        assertThat(verifier.verify("nonsense").failed()).isTrue();
    }
}
