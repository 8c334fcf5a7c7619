package io.kakehashi.policy.decisionlog.spi;

import java.util.Objects;

/**
 * The last link of a chain: its sequence number and hash. An empty log's head has sequence 0 and the genesis hash.
 * Immutable and thread-safe.
 */
public record ChainHead(long sequence, String hash) {

    public ChainHead {
        Objects.requireNonNull(hash, "hash");
    }
}
