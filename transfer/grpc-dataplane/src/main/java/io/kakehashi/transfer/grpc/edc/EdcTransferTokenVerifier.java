package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.policy.spi.AgreementStatus;
import io.kakehashi.transfer.grpc.auth.TransferClaims;
import io.kakehashi.transfer.grpc.auth.TransferTokenVerifier;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.spi.result.Result;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Verifies transfer tokens with EDC's data-plane access-token service: the JWT's signature against the data
 * plane's key and the token's record in the access-token store (a revoked token has none). The transfer and
 * agreement come from the record ({@code process_id}, {@code agreement_id}); the expiry is the token's
 * {@code exp} claim, else its {@code iat} plus the configured lifetime (EDC's own EDRs carry no {@code exp}).
 * The token's agreement must still be usable ({@link AgreementStatus}, docs/decisions/0019): every call, and every
 * re-check of a running stream, asks again, so a stream whose agreement's negotiation was terminated ends at its next
 * re-check. Thread-safe.
 */
public final class EdcTransferTokenVerifier implements TransferTokenVerifier {

    static final String PROCESS_ID = "process_id";
    static final String AGREEMENT_ID = "agreement_id";

    private final DataPlaneAccessTokenService tokens;
    private final Duration lifetime;
    private final AgreementStatus agreements;

    public EdcTransferTokenVerifier(DataPlaneAccessTokenService tokens, Duration lifetime, AgreementStatus agreements) {
        this.tokens = tokens;
        this.lifetime = lifetime;
        this.agreements = agreements;
    }

    @Override
    public Result<TransferClaims> verify(String token) {
        var resolved = tokens.resolve(token);
        if (resolved.failed()) {
            // the detail may quote the token id, never the token
            return Result.failure("the token is not valid or was revoked");
        }
        var data = resolved.getContent();
        var properties = data.additionalProperties();
        var processId = properties.get(PROCESS_ID);
        var agreementId = properties.get(AGREEMENT_ID);
        if (processId == null || agreementId == null) {
            return Result.failure("the token is not scoped to a transfer");
        }
        var usable = agreements.usable(agreementId.toString());
        if (usable.failed()) {
            return Result.failure(usable.getFailureDetail());
        }
        var expiresAt = instant(data.claimToken().getClaim("exp"));
        if (expiresAt == null) {
            var issuedAt = instant(data.claimToken().getClaim("iat"));
            if (issuedAt == null) {
                return Result.failure("the token has neither exp nor iat");
            }
            expiresAt = issuedAt.plus(lifetime);
        }
        return Result.success(new TransferClaims(processId.toString(), agreementId.toString(), expiresAt));
    }

    private static Instant instant(Object claim) {
        if (claim instanceof Number number) {
            return Instant.ofEpochSecond(number.longValue());
        }
        if (claim instanceof Date date) {
            return date.toInstant();
        }
        if (claim instanceof Instant instant) {
            return instant;
        }
        return null;
    }
}
