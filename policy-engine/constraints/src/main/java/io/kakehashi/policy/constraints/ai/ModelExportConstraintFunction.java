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
 * {@code ai.modelExport eq false}: a model trained on the data stays with the provider, only its metrics leave;
 * {@code eq true} lets it leave. Decided for each compute job from what the job would return. Thread-safe.
 */
public final class ModelExportConstraintFunction implements AtomicConstraintRuleFunction<Permission, ComputePolicyContext> {

    public static final String LEFT_OPERAND = KakehashiPolicy.AI_MODEL_EXPORT;
    public static final OperandRule<Boolean> RULE = new OperandRule<>(LEFT_OPERAND, "ai.modelExport", List.of(Operator.EQ), ModelExportConstraintFunction::parse);

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, ComputePolicyContext context) {
        var allowed = RULE.read(operator, rightValue);
        if (allowed.failed()) {
            context.reportProblem(allowed.getFailureDetail());
            return false;
        }
        if (context.job().exportsModel() && !allowed.getContent()) {
            context.reportProblem("ai.modelExport: the %s job would return a trained model; the agreement lets only its metrics leave"
                    .formatted(context.job().type()));
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    private static Result<Boolean> parse(Operator operator, Object rightValue) {
        if (operator != Operator.EQ) {
            return Result.failure("ai.modelExport: operator '%s' is not allowed (eq)".formatted(Comparison.term(operator)));
        }
        var value = RightOperand.plain(rightValue);
        if (value instanceof Boolean flag) {
            return Result.success(flag);
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Result.success(Boolean.parseBoolean((String) value));
        }
        return Result.failure("ai.modelExport: '%s' is not true or false".formatted(value));
    }
}
