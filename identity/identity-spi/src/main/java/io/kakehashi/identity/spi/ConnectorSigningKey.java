package io.kakehashi.identity.spi;

import com.nimbusds.jose.jwk.ECKey;

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
}
