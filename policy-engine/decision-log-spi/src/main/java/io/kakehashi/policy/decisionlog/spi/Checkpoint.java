package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed statement that the chain's entry {@code sequence} has hash {@code headHash}, made at {@code time}, and —
 * for checkpoints signed since the log has Merkle proofs — that the RFC 9162 Merkle tree of the first {@code sequence}
 * entries has the head {@code treeRoot} (lowercase hex; {@code null} in older checkpoints): a signed tree head that
 * inclusion and consistency proofs are checked against. {@code jws} is the compact JWS (ES256) whose payload carries
 * the same values; the other fields are a readable copy that a verifier checks against the payload, so they prove
 * nothing on their own. Immutable and thread-safe.
 */
public record Checkpoint(long sequence, String headHash, Instant time, String jws, String treeRoot) {

    public Checkpoint {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(jws, "jws");
    }

    /**
     * A checkpoint without a tree head (signed before the log had Merkle proofs).
     */
    public Checkpoint(long sequence, String headHash, Instant time, String jws) {
        this(sequence, headHash, time, jws, null);
    }
}
