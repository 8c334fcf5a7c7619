package io.kakehashi.identity.trust;

import com.nimbusds.jose.jwk.ECKey;

import java.util.Optional;

/**
 * The public keys of the peers this connector trusts, by participant id. Implementations are thread-safe.
 */
@FunctionalInterface
public interface TrustedPeerKeys {

    /**
     * The public key that tokens issued by {@code participantId} must verify against; empty when the participant is
     * not trusted.
     */
    Optional<ECKey> keyOf(String participantId);
}
