package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;

import java.util.ArrayList;
import java.util.List;

/**
 * What the constraint functions of one policy evaluation decided, in the order they ran. Belongs to one evaluation
 * on one thread; not thread-safe.
 */
final class EvaluationTrace {

    private final List<ConstraintReason> reasons = new ArrayList<>();

    void add(ConstraintReason reason) {
        reasons.add(reason);
    }

    List<ConstraintReason> reasons() {
        return List.copyOf(reasons);
    }
}
