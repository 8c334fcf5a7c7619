package io.kakehashi.policy.decisionlog.spi;

/**
 * What a verification found: either the chain (and its checkpoints) intact, with how much was checked, or the
 * first broken link — its position (the sequence number that was expected there, 1-based), what kind of problem
 * it is and a reason a person can read. Immutable and thread-safe.
 */
public record VerificationResult(boolean intact, long entriesChecked, int checkpointsChecked, long position, Problem problem,
                                 String reason) {

    /**
     * The kinds of broken link.
     */
    public enum Problem {
        /** the stored data at the position is not an entry */
        MALFORMED_ENTRY,
        /** the entry's sequence number is not the one expected at its position (deleted, inserted, moved, renumbered) */
        SEQUENCE_MISMATCH,
        /** the entry's previous hash is not the hash of the entry before it */
        PREVIOUS_HASH_MISMATCH,
        /** the entry's content does not hash to its stored hash (edited) */
        HASH_MISMATCH,
        /** the checkpoint's signature does not verify with the given key, or it is not an ES256 JWS */
        CHECKPOINT_SIGNATURE_INVALID,
        /** the checkpoint's readable fields differ from its signed payload */
        CHECKPOINT_PAYLOAD_MISMATCH,
        /** the signed head hash is not the chain's hash at that sequence, or the chain ends before it */
        CHECKPOINT_NOT_IN_CHAIN,
        /**
         * the checkpoint names no key id, or one the log's key history does not hold, or one whose record is unusable
         * (not a P-256 public key, or a hand-over from the key before it that does not verify)
         */
        CHECKPOINT_KEY_UNKNOWN,
        /**
         * a tree head signed by the log's key and countersigned by a witness is not the log's Merkle tree head at that
         * size (the log was rewritten after it was witnessed), or the log holds fewer entries than it
         */
        WITNESSED_HEAD_NOT_EXTENDED,
        /** two tree heads signed by the log's key for one tree size with different roots (a forked history) */
        WITNESSED_HEAD_FORK
    }

    public static VerificationResult intact(long entriesChecked, int checkpointsChecked) {
        return new VerificationResult(true, entriesChecked, checkpointsChecked, 0, null, null);
    }

    public static VerificationResult broken(long position, Problem problem, String reason) {
        return new VerificationResult(false, 0, 0, position, problem, reason);
    }

    @Override
    public String toString() {
        return intact ? "intact: " + entriesChecked + " entries, " + checkpointsChecked + " checkpoints"
                : "broken at position " + position + ": " + problem + ": " + reason;
    }
}
