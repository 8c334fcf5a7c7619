package io.kakehashi.policy.decisionlog.spi;

import org.eclipse.edc.spi.result.Result;

/**
 * Appends a decision the connector made outside EDC's policy engine — for instance a compute job's output guard
 * releasing a result ({@link DecisionScope#COMPUTE_RESULT}, PERMIT with the {@code result} digest) or refusing it
 * (DENY with the guard's reason) — to the same hash chain, through the same store, transactions and checkpoints as
 * the engine's decisions.
 *
 * <p>The promise a caller relies on: a success means the entry is durable in the chain (its sequence and hash are
 * in the returned {@link StoredDecision}); a failure means it may not be, and the caller must then not act on the
 * decision (release nothing), as the policy engine refuses a decision it cannot record. The entry is stored as
 * given; its time should come from the connector's clock. Implementations are thread-safe.
 */
@FunctionalInterface
public interface DecisionRecorder {

    /** The failure message when the entry could not be written. */
    String NOT_RECORDED = "the decision could not be recorded in the decision log";

    /**
     * Appends the entry as the chain's new head.
     *
     * @return the entry as stored, or a failure ({@link #NOT_RECORDED} and the cause) when it could not be written
     */
    Result<StoredDecision> record(DecisionEntry entry);
}
