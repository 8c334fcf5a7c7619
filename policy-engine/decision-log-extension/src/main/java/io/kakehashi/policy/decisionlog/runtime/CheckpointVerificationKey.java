package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.ECKey;

/**
 * The public key that verifies this connector's decision-log checkpoints: the public half of its identity key.
 * Auditors should also obtain it from a source they trust (the connector's DID document) rather than only from the
 * connector they audit. Implementations are thread-safe.
 */
@FunctionalInterface
public interface CheckpointVerificationKey {

    /**
     * @throws IllegalStateException before the connector has prepared its key
     */
    ECKey publicKey();
}
