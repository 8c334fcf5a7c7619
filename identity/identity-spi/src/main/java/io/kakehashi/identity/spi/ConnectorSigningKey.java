package io.kakehashi.identity.spi;

import com.nimbusds.jose.jwk.ECKey;

import java.util.Optional;

/**
 * The key this connector signs its own statements with — besides its tokens, for example the decision log's
 * checkpoints — so that what it signs can be verified against the identity it publishes. Provided by whichever
 * identity the connector runs (the did:web key ring, or the offline mode's key). Implementations are thread-safe.
 */
@FunctionalInterface
public interface ConnectorSigningKey {

    /**
     * The current private EC P-256 key, its {@code kid} the id under which peers find the public half (with a DID,
     * the verification method's id, {@code did:web:…#key-id}).
     */
    ECKey current();

    /**
     * A key this connector signed with before and still holds — a replaced key within its grace period — with its
     * private half, by the {@code kid} {@link #current()} gave it then; empty when it is gone or never was. Used to
     * hand a statement's signing over from the old key to the new one (the decision log's key history).
     */
    default Optional<ECKey> held(String keyId) {
        return Optional.empty();
    }
}
