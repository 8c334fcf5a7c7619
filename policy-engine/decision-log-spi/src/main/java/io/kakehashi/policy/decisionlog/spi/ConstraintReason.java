package io.kakehashi.policy.decisionlog.spi;

import java.util.Objects;

/**
 * Why one constraint of a policy permitted or denied, e.g. constraint {@code jurisdiction}, outcome DENY, reason
 * "consumer country US is not in EU_EEA". The reason is the full one (what is disclosed to the peer is decided
 * elsewhere); it must never contain credentials or tokens. Immutable and thread-safe.
 */
public record ConstraintReason(String constraint, DecisionOutcome outcome, String reason) {

    public ConstraintReason {
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }
}
