package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;

import java.text.ParseException;
import java.util.Optional;

/**
 * A signed tree head as it travels between connectors: the compact JWS of a checkpoint that carries the Merkle tree
 * head ({@code treeRoot}) of its first {@code sequence} entries (the tree size). What a peer reads from it is only what
 * the signature covers. Stateless and thread-safe.
 */
public final class SignedTreeHeads {

    private SignedTreeHeads() {
    }

    /**
     * The checkpoint a signed tree head states, once its ES256 signature verifies with {@code key}.
     *
     * @throws IllegalArgumentException naming what is wrong: not a compact JWS, not ES256, a signature that does not
     *                                  verify, a payload that is not a checkpoint, or no tree head in it
     */
    public static Checkpoint verify(String jws, ECKey key) {
        JWSObject parsed;
        try {
            parsed = JWSObject.parse(jws);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the signed tree head is not a compact JWS");
        }
        if (!JWSAlgorithm.ES256.equals(parsed.getHeader().getAlgorithm())) {
            throw new IllegalArgumentException("the signed tree head is signed with " + parsed.getHeader().getAlgorithm() + ", not ES256");
        }
        try {
            if (!parsed.verify(new ECDSAVerifier(key.toPublicJWK()))) {
                throw new IllegalArgumentException("the signed tree head's signature does not verify with the log's key");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the signed tree head's signature cannot be checked: " + e.getMessage());
        }
        var checkpoint = DecisionJson.checkpointFromPayload(JsonCanonicalizer.parse(parsed.getPayload().toString()), jws);
        if (checkpoint.treeRoot() == null) {
            throw new IllegalArgumentException("the signed checkpoint carries no Merkle tree head");
        }
        if (checkpoint.sequence() < 1 || !checkpoint.treeRoot().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("the signed tree head's size or root is malformed");
        }
        return checkpoint;
    }

    /**
     * The key id the JWS header names, unverified.
     */
    public static Optional<String> keyId(String jws) {
        try {
            return Optional.ofNullable(JWSObject.parse(jws).getHeader().getKeyID());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The RFC 7638 thumbprint of a public key: how a log's key is named in a countersignature.
     */
    public static String thumbprint(ECKey key) {
        try {
            return key.toPublicJWK().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the key's thumbprint: " + e.getMessage(), e);
        }
    }
}
