package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.constraints.Comparison;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.List;

/**
 * {@code ai.dpEpsilon lteq ε}: the differential-privacy budget of an agreement. A compute job is admitted when it
 * adds differentially private noise and what earlier jobs spent plus what it would spend stays within the budget;
 * once the budget is spent every further job is refused. A job without noise is refused under such an agreement.
 * Thread-safe.
 */
public final class DpEpsilonConstraintFunction implements AtomicConstraintRuleFunction<Permission, ComputePolicyContext> {

    public static final String LEFT_OPERAND = KakehashiPolicy.AI_DP_EPSILON;
    public static final OperandRule<Double> RULE = new OperandRule<>(LEFT_OPERAND, "ai.dpEpsilon", List.of(Operator.LEQ), DpEpsilonConstraintFunction::parse);

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, ComputePolicyContext context) {
        var budget = RULE.read(operator, rightValue);
        if (budget.failed()) {
            context.reportProblem(budget.getFailureDetail());
            return false;
        }
        var job = context.job();
        if (job.epsilonRequested().isEmpty()) {
            context.reportProblem("ai.dpEpsilon: the %s job adds no differentially private noise; the agreement requires it (budget ε = %s)"
                    .formatted(job.type(), budget.getContent()));
            return false;
        }
        var total = job.epsilonSpent() + job.epsilonRequested().getAsDouble();
        if (total > budget.getContent()) {
            context.reportProblem("ai.dpEpsilon: ε %s spent plus %s requested exceeds the agreement's budget of %s"
                    .formatted(job.epsilonSpent(), job.epsilonRequested().getAsDouble(), budget.getContent()));
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    private static Result<Double> parse(Operator operator, Object rightValue) {
        if (operator != Operator.LEQ) {
            return Result.failure("ai.dpEpsilon: operator '%s' is not allowed (lteq)".formatted(Comparison.term(operator)));
        }
        var value = RightOperand.plain(rightValue);
        double epsilon;
        try {
            epsilon = value instanceof Number number ? number.doubleValue() : Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return Result.failure("ai.dpEpsilon: '%s' is not a number".formatted(value));
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            return Result.failure("ai.dpEpsilon: the budget must be a positive finite ε, not %s".formatted(value));
        }
        return Result.success(epsilon);
    }
}
