package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.Set;

/**
 * ODRL {@code count}: how many transfers an agreement allows, e.g. {@code count lteq 3}. Decided when a transfer is
 * requested: the transfers made so far under the agreement plus the one requested must satisfy the constraint. The
 * right operand is a positive whole number (as a number or a string). Thread-safe.
 */
public final class TransferCountConstraintFunction implements AtomicConstraintRuleFunction<Permission, TransferProcessPolicyContext> {

    public static final String LEFT_OPERAND = "http://www.w3.org/ns/odrl/2/count";
    private static final Set<Operator> OPERATORS = Set.of(Operator.LT, Operator.LEQ);

    private final TransferCounter counter;

    public TransferCountConstraintFunction(TransferCounter counter) {
        this.counter = counter;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, TransferProcessPolicyContext context) {
        var limit = parse(rightValue);
        if (limit.failed() || !OPERATORS.contains(operator) || context.contractAgreement() == null) {
            context.reportProblem("count: constraint '%s %s' cannot be evaluated".formatted(Comparison.term(operator), rightValue));
            return false;
        }
        var withThisOne = counter.transfersSoFar(context.contractAgreement()) + 1;
        if (Comparison.holds(withThisOne, operator, limit.getContent())) {
            return true;
        }
        context.reportProblem("count: this would be transfer %d under agreement %s, the limit is %s %d"
                .formatted(withThisOne, context.contractAgreement().getId(), Comparison.symbol(operator), limit.getContent()));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        if (!OPERATORS.contains(operator)) {
            return Result.failure("count: operator '%s' is not allowed (lt, lteq)".formatted(Comparison.term(operator)));
        }
        return parse(rightValue).mapEmpty();
    }

    static Result<Long> parse(Object operand) {
        var rightValue = RightOperand.plain(operand);
        long value;
        if (rightValue instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            value = number.longValue();
        } else if (rightValue instanceof String text && text.trim().matches("\\d{1,18}")) {
            value = Long.parseLong(text.trim());
        } else {
            return Result.failure("count: '%s' is not a whole number".formatted(rightValue));
        }
        return value > 0 ? Result.success(value) : Result.failure("count: the limit must be at least 1, not %d".formatted(value));
    }
}
