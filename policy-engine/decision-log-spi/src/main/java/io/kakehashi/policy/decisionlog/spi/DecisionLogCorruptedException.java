package io.kakehashi.policy.decisionlog.spi;

/**
 * Stored data at {@code position} is not a readable entry (malformed JSON, an unknown field, index columns that
 * disagree with the entry). Readers cannot carry on past it; a verifier turns it into a broken-link result.
 */
public class DecisionLogCorruptedException extends RuntimeException {

    private final long position;

    public DecisionLogCorruptedException(long position, String reason) {
        super("decision log entry at position " + position + " is corrupted: " + reason);
        this.position = position;
    }

    public long position() {
        return position;
    }
}
