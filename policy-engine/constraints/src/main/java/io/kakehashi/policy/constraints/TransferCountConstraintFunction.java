package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.List;

/**
 * ODRL {@code count}: how many transfers an agreement allows, e.g. {@code count lteq 3}. Decided when a transfer is
 * requested: the transfers made so far under the agreement plus the one requested must satisfy the constraint. The
 * right operand is a positive whole number (as a number or a string). Thread-safe.
 */
public final class TransferCountConstraintFunction implements AtomicConstraintRuleFunction<Permission, TransferProcessPolicyContext> {

    public static final String LEFT_OPERAND = "http://www.w3.org/ns/odrl/2/count";
    public static final OperandRule<Long> RULE = new OperandRule<>(LEFT_OPERAND, "count", List.of(Operator.LT, Operator.LEQ),
            (operator, rightValue) -> parse(rightValue));

    private final TransferCounter counter;

    public TransferCountConstraintFunction(TransferCounter counter) {
        this.counter = counter;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, TransferProcessPolicyContext context) {
        var limit = RULE.read(operator, rightValue);
        if (limit.failed()) {
            context.reportProblem(limit.getFailureDetail());
            return false;
        }
        if (context.contractAgreement() == null) {
            context.reportProblem("count: there is no agreement to count transfers under");
            return false;
        }
        var soFar = counter.transfersSoFar(context.contractAgreement());
        if (Comparison.holds(soFar + 1, operator, limit.getContent())) {
            return true;
        }
        context.reportProblem("count: %d transfer%s used of %d allowed under agreement %s"
                .formatted(soFar, soFar == 1 ? "" : "s", allowed(operator, limit.getContent()), context.contractAgreement().getId()));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    /** How many uses {@code operator limit} allows in all: {@code lteq 3} and {@code lt 4} both allow 3. */
    static long allowed(Operator operator, long limit) {
        return operator == Operator.LT ? limit - 1 : limit;
    }

    static Result<Long> parse(Object operand) {
        return PositiveWholeNumber.parse("count", operand);
    }
}
