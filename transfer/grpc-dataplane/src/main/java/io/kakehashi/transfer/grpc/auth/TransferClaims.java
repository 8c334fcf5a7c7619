package io.kakehashi.transfer.grpc.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified transfer token grants: one transfer process under one agreement, until it expires.
 * Immutable and thread-safe.
 *
 * @param transferId the transfer process the token is scoped to
 * @param agreementId the contract agreement the transfer runs under
 * @param expiresAt when the token stops being valid
 */
public record TransferClaims(String transferId, String agreementId, Instant expiresAt) {

    public TransferClaims {
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the token has expired at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
