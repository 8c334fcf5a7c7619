package io.kakehashi.policy.decisionlog.spi;

import java.util.Objects;

/**
 * An entry as it sits in the chain: its sequence number (1 for the first entry), the hash of the entry before it
 * (the genesis value for the first), its own hash, and the entry. A store returns what it holds; only a
 * verifier says whether the hashes are right. Immutable and thread-safe.
 */
public record StoredDecision(long sequence, String previousHash, String hash, DecisionEntry entry) {

    public StoredDecision {
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(entry, "entry");
    }
}
