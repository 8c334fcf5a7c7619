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
import java.util.Set;

/**
 * {@code modelRights} (METI's contract guidelines for AI: who holds the rights in a model trained on the data —
 * {@code provider}, {@code consumer} or {@code joint}). It states a right rather than a condition of use: a
 * well-formed value admits every compute job, and what the consumer passes on that derives from the data carries it
 * in its signed provenance statement (with {@code derivedModels} and the data's digests, lineage module) so the
 * recipient knows whose model it is; a value that does not read refuses the job and is refused at policy creation. When {@code derivedModels none} forbids models, rights in one are moot. Thread-safe.
 */
public final class ModelRightsConstraintFunction implements AtomicConstraintRuleFunction<Permission, ComputePolicyContext> {

    public static final Set<String> HOLDERS = Set.of("provider", "consumer", "joint");
    public static final OperandRule<String> RULE = new OperandRule<>(KakehashiPolicy.MODEL_RIGHTS, "modelRights", List.of(Operator.EQ),
            ModelRightsConstraintFunction::parse);

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission permission, ComputePolicyContext context) {
        var holder = RULE.read(operator, rightValue);
        if (holder.failed()) {
            context.reportProblem(holder.getFailureDetail());
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission permission) {
        return RULE.validate(operator, rightValue);
    }

    private static Result<String> parse(Operator operator, Object rightValue) {
        if (operator != Operator.EQ) {
            return Result.failure("modelRights: operator '%s' is not allowed (eq)".formatted(Comparison.term(operator)));
        }
        var value = RightOperand.plain(rightValue);
        if (value instanceof String text && HOLDERS.contains(text)) {
            return Result.success(text);
        }
        return Result.failure("modelRights: '%s' is not 'provider', 'consumer' or 'joint'".formatted(value));
    }
}
