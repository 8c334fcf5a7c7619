package io.kakehashi.transfer.grpc.auth;

import org.eclipse.edc.spi.result.Result;

/**
 * Checks a transfer access token: its signature, its expiry and that it has not been revoked. The gRPC
 * services call it on every call and again while a long stream runs. In a connector it is backed by EDC's
 * data-plane authorization service; tests back it with their own signer.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TransferTokenVerifier {

    /**
     * Verifies a token.
     *
     * @param token the bearer token as sent, never null
     * @return the claims it grants, or a failure whose message says why (never containing the token)
     */
    Result<TransferClaims> verify(String token);
}
