package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Signs checkpoints with the connector's identity key: a compact JWS, ES256, header {@code typ}
 * {@value #TYPE} and the key's {@code kid} if it has one, payload the RFC 8785 canonical JSON of
 * {@code {"headHash", "sequence", "time"}} and, when given, {@code "treeRoot"} (the Merkle tree head). The key never leaves this object and is never logged. Thread-safe.
 */
public final class CheckpointSigner {

    public static final String TYPE = "kakehashi-decision-checkpoint+jws";

    private final ECDSASigner signer;
    private final String keyId;
    private final Clock clock;

    /**
     * @throws IllegalArgumentException when the key is not a P-256 key with its private part
     */
    public CheckpointSigner(ECKey key, Clock clock) {
        Objects.requireNonNull(key, "key");
        if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate()) {
            throw new IllegalArgumentException("checkpoints are signed with an EC P-256 private key");
        }
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable checkpoint key: " + e.getMessage(), e);
        }
        this.keyId = key.getKeyID();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Checkpoint sign(ChainHead head) {
        return sign(head, null);
    }

    /**
     * Signs the head and, when given, the Merkle tree head of the first {@code head.sequence()} entries (hex): a signed
     * tree head for inclusion and consistency proofs.
     */
    public Checkpoint sign(ChainHead head, String treeRoot) {
        var time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var payload = JsonCanonicalizer.canonicalize(DecisionJson.checkpointPayload(head.sequence(), head.hash(), time, treeRoot));
        var header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE)).keyID(keyId).build();
        var jws = new JWSObject(header, new Payload(payload.getBytes(StandardCharsets.UTF_8)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a checkpoint: " + e.getMessage(), e);
        }
        return new Checkpoint(head.sequence(), head.hash(), time, jws.serialize(), treeRoot);
    }
}
