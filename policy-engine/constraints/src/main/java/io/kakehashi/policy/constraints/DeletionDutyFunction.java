package io.kakehashi.policy.constraints;

import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Duty;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;

/**
 * The deadline of a deletion duty: an {@code odrl:delete} duty with {@code elapsedTime lteq P90D} obliges the consumer
 * to delete the data within 90 days of signing. The duty does not stand in the way of an agreement or of use before
 * its deadline; once the deadline has passed the data should be gone, so a transfer, a compute job, a running
 * transfer (policy monitor) or a run of a vendor's model received under the agreement is refused. Before there is an agreement nothing is due. Thread-safe.
 */
public final class DeletionDutyFunction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Duty, C> {

    private final PolicyTime time;

    DeletionDutyFunction(PolicyTime time) {
        this.time = time;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Duty duty, C context) {
        var window = ElapsedTimeConstraintFunction.RULE.read(operator, rightValue);
        if (window.failed()) {
            context.reportProblem("duty: " + window.getFailureDetail());
            return false;
        }
        var signed = time.agreementSigned(context);
        if (signed.isEmpty()) {
            return true;
        }
        var deadline = signed.get().plus(window.getContent());
        var now = time.now(context);
        var due = operator == Operator.LT ? !now.isBefore(deadline) : now.isAfter(deadline);
        if (due) {
            context.reportProblem("duty: the data was due for deletion by %s (%s after signing), it is now %s".formatted(deadline, window.getContent(), now));
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Duty duty) {
        return ElapsedTimeConstraintFunction.RULE.validate(operator, rightValue);
    }
}
