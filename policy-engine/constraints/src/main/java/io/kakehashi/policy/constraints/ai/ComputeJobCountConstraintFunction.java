package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.constraints.Comparison;
import io.kakehashi.policy.constraints.PositiveWholeNumber;
import io.kakehashi.policy.spi.ComputeJobCounter;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.List;

/**
 * {@code compute.jobCount lteq n}: how many compute jobs an agreement allows. Decided for each job in the
 * {@code compute} scope: the jobs admitted so far under the agreement plus this one must satisfy the constraint. The
 * right operand is a positive whole number (a number or a string). Thread-safe.
 */
public final class ComputeJobCountConstraintFunction implements AtomicConstraintRuleFunction<Permission, ComputePolicyContext> {

    public static final String LEFT_OPERAND = KakehashiPolicy.COMPUTE_JOB_COUNT;
    public static final OperandRule<Long> RULE = new OperandRule<>(LEFT_OPERAND, "compute.jobCount", List.of(Operator.LT, Operator.LEQ),
            (operator, rightValue) -> PositiveWholeNumber.parse("compute.jobCount", rightValue));

    private final ComputeJobCounter counter;

    public ComputeJobCountConstraintFunction(ComputeJobCounter counter) {
        this.counter = counter;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, ComputePolicyContext context) {
        var limit = RULE.read(operator, rightValue);
        if (limit.failed()) {
            context.reportProblem(limit.getFailureDetail());
            return false;
        }
        if (context.contractAgreement() == null) {
            context.reportProblem("compute.jobCount: there is no agreement to count jobs under");
            return false;
        }
        var soFar = counter.jobsSoFar(context.contractAgreement());
        if (Comparison.holds(soFar + 1, operator, limit.getContent())) {
            return true;
        }
        var allowed = operator == Operator.LT ? limit.getContent() - 1 : limit.getContent();
        context.reportProblem("compute.jobCount: %d compute job%s used of %d allowed under agreement %s"
                .formatted(soFar, soFar == 1 ? "" : "s", allowed, context.contractAgreement().getId()));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }
}
