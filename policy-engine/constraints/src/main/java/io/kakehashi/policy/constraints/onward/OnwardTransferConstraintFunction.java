package io.kakehashi.policy.constraints.onward;

import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

/**
 * The {@code onwardTransfer} constraint where the provider decides: it binds what the consumer does later, when the
 * consumer passes the data on, so a well-formed constraint admits the catalog request, the negotiation, the transfer
 * and the compute job it is evaluated for (a malformed one is refused with its reason). The consumer's own Kakehashi
 * connector enforces it when it offers or transfers what it derived (see the {@code lineage} module). Thread-safe.
 */
public final class OnwardTransferConstraintFunction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    private final OperandRule<OnwardTransfer> rule;

    public OnwardTransferConstraintFunction(OperandRule<OnwardTransfer> rule) {
        this.rule = rule;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission permission, C context) {
        var read = rule.read(operator, rightValue);
        if (read.failed()) {
            context.reportProblem(read.getFailureDetail());
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission permission) {
        return rule.validate(operator, rightValue);
    }

    @Override
    public String name() {
        return OnwardTransfer.SHORT_NAME;
    }
}
