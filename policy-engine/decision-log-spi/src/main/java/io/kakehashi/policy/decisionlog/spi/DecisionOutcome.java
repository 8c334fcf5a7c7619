package io.kakehashi.policy.decisionlog.spi;

/**
 * The outcome of a policy evaluation or of one constraint in it. Stored by its name. Immutable and thread-safe.
 */
public enum DecisionOutcome {
    PERMIT,
    DENY
}
