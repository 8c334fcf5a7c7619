package io.kakehashi.policy.decisionlog.spi;

import java.util.List;

/**
 * Entries by position, the one thing a verifier needs: a store, an exported file, anything that holds a chain.
 * Positions start at 1; in an intact chain position and sequence number are the same.
 */
@FunctionalInterface
public interface DecisionSource {

    /**
     * Up to {@code max} entries from {@code fromPosition} on, in position order; fewer (or none) at the end.
     *
     * @throws DecisionLogCorruptedException when an entry in the page cannot be read as an entry at all
     */
    List<StoredDecision> readRange(long fromPosition, int max);
}
