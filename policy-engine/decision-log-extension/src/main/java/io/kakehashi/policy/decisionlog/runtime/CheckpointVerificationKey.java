package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.ECKey;

/**
 * The public key that verifies the checkpoints this connector signs now: the public half of its current identity key.
 * Checkpoints signed before a key rotation are verified with the log's key history
 * ({@link io.kakehashi.policy.decisionlog.spi.CheckpointStore#keys()}). Auditors should also obtain the key from a
 * source they trust (the connector's DID document) rather than only from the connector they audit. Implementations
 * are thread-safe.
 */
@FunctionalInterface
public interface CheckpointVerificationKey {

    /**
     * @throws IllegalStateException before the connector has prepared its key
     */
    ECKey publicKey();
}
