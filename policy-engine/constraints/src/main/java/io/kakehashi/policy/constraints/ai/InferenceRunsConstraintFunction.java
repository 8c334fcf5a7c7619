package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.constraints.Comparison;
import io.kakehashi.policy.constraints.PositiveWholeNumber;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.ModelRunPolicyContext;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.List;

/**
 * {@code ai.inferenceRuns lteq n}: how many times the holder's connector may run a vendor's model it received under
 * the agreement. Decided for each run in the {@code model.run} scope: the runs admitted so far plus this one must
 * satisfy the constraint. The right operand is a positive whole number (a number or a string). Thread-safe.
 */
public final class InferenceRunsConstraintFunction implements AtomicConstraintRuleFunction<Permission, ModelRunPolicyContext> {

    public static final String LEFT_OPERAND = KakehashiPolicy.AI_INFERENCE_RUNS;
    public static final OperandRule<Long> RULE = new OperandRule<>(LEFT_OPERAND, "ai.inferenceRuns", List.of(Operator.LT, Operator.LEQ),
            (operator, rightValue) -> PositiveWholeNumber.parse("ai.inferenceRuns", rightValue));

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, ModelRunPolicyContext context) {
        var limit = RULE.read(operator, rightValue);
        if (limit.failed()) {
            context.reportProblem(limit.getFailureDetail());
            return false;
        }
        var soFar = context.runsSoFar();
        if (Comparison.holds(soFar + 1, operator, limit.getContent())) {
            return true;
        }
        var allowed = operator == Operator.LT ? limit.getContent() - 1 : limit.getContent();
        context.reportProblem("ai.inferenceRuns: %d run%s of the model used of %d allowed under agreement %s"
                .formatted(soFar, soFar == 1 ? "" : "s", allowed, context.contractAgreement().getId()));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    /** The limit an agreement's policy sets (the smallest, when several permissions set one), if it sets one. */
    public static java.util.OptionalLong limit(org.eclipse.edc.policy.model.Policy policy) {
        return policy.getPermissions().stream().flatMap(p -> p.getConstraints().stream())
                .filter(org.eclipse.edc.policy.model.AtomicConstraint.class::isInstance).map(org.eclipse.edc.policy.model.AtomicConstraint.class::cast)
                .filter(c -> c.getLeftExpression() instanceof org.eclipse.edc.policy.model.LiteralExpression left && LEFT_OPERAND.equals(left.asString()))
                .filter(c -> c.getRightExpression() instanceof org.eclipse.edc.policy.model.LiteralExpression)
                .map(c -> {
                    var read = RULE.read(c.getOperator(), ((org.eclipse.edc.policy.model.LiteralExpression) c.getRightExpression()).getValue());
                    return read.failed() ? null : (c.getOperator() == Operator.LT ? read.getContent() - 1 : read.getContent());
                })
                .filter(java.util.Objects::nonNull).mapToLong(Long::longValue).min();
    }
}
