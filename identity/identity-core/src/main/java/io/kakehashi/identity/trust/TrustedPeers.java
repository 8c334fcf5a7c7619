package io.kakehashi.identity.trust;

import java.util.Optional;

/**
 * The peers this connector trusts, by participant id. Implementations are thread-safe.
 */
@FunctionalInterface
public interface TrustedPeers {

    /**
     * The trusted peer {@code participantId}, whose tokens must verify against its key; empty when it is not trusted.
     */
    Optional<TrustedPeer> find(String participantId);
}
