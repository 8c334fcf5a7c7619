package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed statement that the chain's entry {@code sequence} has hash {@code headHash}, made at {@code time}.
 * {@code jws} is the compact JWS (ES256) whose payload carries the same three values; the other fields are a
 * readable copy that a verifier checks against the payload, so they prove nothing on their own.
 * Immutable and thread-safe.
 */
public record Checkpoint(long sequence, String headHash, Instant time, String jws) {

    public Checkpoint {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(jws, "jws");
    }
}
