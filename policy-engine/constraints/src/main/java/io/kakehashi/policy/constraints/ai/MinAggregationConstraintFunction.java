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
 * {@code ai.minAggregation gteq k}: an analytics result may only report groups of at least {@code k} source rows.
 * Admits a compute job only when the output guard it will run with is at least as strict; the guard itself enforces
 * the limit on the result (ai-extension). A job that declares no guard is refused. Thread-safe.
 */
public final class MinAggregationConstraintFunction implements AtomicConstraintRuleFunction<Permission, ComputePolicyContext> {

    public static final String LEFT_OPERAND = KakehashiPolicy.AI_MIN_AGGREGATION;
    public static final OperandRule<Long> RULE = new OperandRule<>(LEFT_OPERAND, "ai.minAggregation", List.of(Operator.GEQ, Operator.EQ), MinAggregationConstraintFunction::parse);

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, ComputePolicyContext context) {
        var k = RULE.read(operator, rightValue);
        if (k.failed()) {
            context.reportProblem(k.getFailureDetail());
            return false;
        }
        var guard = context.job().minimumGroupSize();
        if (guard.isEmpty()) {
            context.reportProblem("ai.minAggregation: the %s job declares no minimum group size; the agreement requires at least %d"
                    .formatted(context.job().type(), k.getContent()));
            return false;
        }
        if (guard.getAsLong() < k.getContent()) {
            context.reportProblem("ai.minAggregation: the job would report groups of %d rows; the agreement requires at least %d"
                    .formatted(guard.getAsLong(), k.getContent()));
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    private static Result<Long> parse(Operator operator, Object rightValue) {
        if (operator != Operator.GEQ && operator != Operator.EQ) {
            return Result.failure("ai.minAggregation: operator '%s' is not allowed (gteq, eq)".formatted(Comparison.term(operator)));
        }
        var value = RightOperand.plain(rightValue);
        long k;
        if (value instanceof Long whole) {
            k = whole;
        } else if (value instanceof Integer whole) {
            k = whole;
        } else if (value instanceof String text && text.trim().matches("\\d{1,9}")) {
            k = Long.parseLong(text.trim());
        } else {
            return Result.failure("ai.minAggregation: '%s' is not a whole number of rows".formatted(value));
        }
        return k >= 2 ? Result.success(k) : Result.failure("ai.minAggregation: a group must be at least 2 rows, not %d".formatted(k));
    }
}
