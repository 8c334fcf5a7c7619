package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Purpose: what the data may be used for, e.g. {@code purpose isAnyOf ["analytics", "ai.evaluation"]}, with the
 * hierarchy of {@link Purposes} ({@code ai} admits {@code ai.training}). Operators {@code eq} (one purpose),
 * {@code isAnyOf} and {@code isNoneOf} (a list or one purpose).
 * <p>
 * The purpose constraint of an agreement is the consumer's declared purpose: EDC keeps only the offer's id from a
 * contract request and the consumer's connector accepts only an agreement equal to what it requested, so a consumer
 * declares its purpose by requesting the offer that names it (see the README). Before and at transfer nothing else
 * names a purpose, so there a well-formed constraint (one that grants at least one purpose) admits; in the
 * {@code compute} scope every job is checked: the purpose its type serves must be granted. Thread-safe.
 */
public final class PurposeConstraintFunction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final String LEFT_OPERAND = KakehashiPolicy.PURPOSE;
    public static final OperandRule<List<String>> RULE = new OperandRule<>(LEFT_OPERAND, "purpose",
            List.of(Operator.EQ, Operator.IS_ANY_OF, Operator.IS_NONE_OF), PurposeConstraintFunction::parse);

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var named = RULE.read(operator, rightValue);
        if (named.failed()) {
            context.reportProblem(named.getFailureDetail());
            return false;
        }
        if (context instanceof ComputePolicyContext compute) {
            return admitsJob(operator, named.getContent(), compute);
        }
        // a well-formed constraint grants some purpose (see parse); nothing else names a purpose before a compute job
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    private static boolean admitsJob(Operator operator, List<String> named, ComputePolicyContext context) {
        var jobType = context.job().type();
        var requested = Purposes.ofJobType(jobType);
        if (requested.isEmpty()) {
            context.reportProblem("purpose: a %s job serves no known purpose".formatted(jobType));
            return false;
        }
        var within = Purposes.isWithinAny(requested.get(), named);
        var admitted = operator == Operator.IS_NONE_OF ? !within : within;
        if (!admitted) {
            context.reportProblem("purpose: requested %s is %s %s".formatted(requested.get(), within ? "in" : "not in", named));
        }
        return admitted;
    }

    /**
     * The purposes an agreement's policy grants: those that every readable purpose constraint of its permissions grants
     * (constraints are conjoined, so the grant is their intersection); empty when it has no purpose constraint.
     */
    public static Optional<Set<String>> grantedBy(Policy policy) {
        Set<String> granted = null;
        for (var constraint : policy.getPermissions().stream().flatMap(p -> p.getConstraints().stream()).toList()) {
            if (constraint instanceof AtomicConstraint atomic && atomic.getLeftExpression() instanceof LiteralExpression left
                    && LEFT_OPERAND.equals(left.asString()) && atomic.getRightExpression() instanceof LiteralExpression right) {
                var named = RULE.read(atomic.getOperator(), right.getValue());
                if (named.succeeded()) {
                    var these = granted(atomic.getOperator(), named.getContent());
                    if (granted == null) {
                        granted = these;
                    } else {
                        granted.retainAll(these);
                    }
                }
            }
        }
        return Optional.ofNullable(granted);
    }

    /** The purposes a constraint grants. */
    static Set<String> granted(Operator operator, List<String> named) {
        var granted = new LinkedHashSet<String>();
        for (var purpose : Purposes.ALL) {
            var within = Purposes.isWithinAny(purpose, named);
            if (operator == Operator.IS_NONE_OF ? !within : within) {
                granted.add(purpose);
            }
        }
        return granted;
    }

    static Result<List<String>> parse(Operator operator, Object rightValue) {
        var texts = RightOperand.texts(rightValue);
        if (texts.isEmpty() || texts.get().isEmpty()) {
            return Result.failure("purpose: '%s' is not a purpose or a list of purposes".formatted(rightValue));
        }
        var purposes = texts.get().stream().map(String::trim).toList();
        if (operator == Operator.EQ && purposes.size() != 1) {
            return Result.failure("purpose: 'eq' takes one purpose, not %s".formatted(purposes));
        }
        for (var purpose : purposes) {
            if (!Purposes.isKnown(purpose)) {
                return Result.failure("purpose: '%s' is not a known purpose %s".formatted(purpose, Purposes.ALL));
            }
        }
        if (granted(operator, purposes).isEmpty()) {
            return Result.failure("purpose: isNoneOf %s leaves no purpose to use the data for".formatted(purposes));
        }
        return Result.success(purposes);
    }
}
