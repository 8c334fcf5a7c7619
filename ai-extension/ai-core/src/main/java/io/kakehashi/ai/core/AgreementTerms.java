package io.kakehashi.ai.core;

import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.RightOperand;
import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Policy;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The AI-use terms of an agreement's policy that a job must run with, read from the policy's permissions: the output
 * guard's k ({@code ai.minAggregation}, the strictest when several), the ε budget ({@code ai.dpEpsilon}, the
 * smallest) and whether a model may leave ({@code ai.modelExport}, {@code false} wins). Whether the job may run at
 * all is the policy engine's decision; these values only configure what runs. Immutable and thread-safe.
 */
public record AgreementTerms(OptionalLong minAggregation, OptionalDouble dpBudget, Optional<Boolean> modelExport) {

    public static AgreementTerms of(Policy policy) {
        var k = new long[]{-1};
        var budget = new double[]{Double.NaN};
        var export = new Boolean[]{null};
        Consumer<AtomicConstraint> read = constraint -> {
            if (!(constraint.getLeftExpression() instanceof LiteralExpression left)
                    || !(constraint.getRightExpression() instanceof LiteralExpression right)) {
                return;
            }
            var operand = String.valueOf(left.getValue());
            var value = plain(right.getValue());
            try {
                if (operand.equals(KakehashiPolicy.AI_MIN_AGGREGATION)) {
                    k[0] = Math.max(k[0], Long.parseLong(value));
                } else if (operand.equals(KakehashiPolicy.AI_DP_EPSILON)) {
                    var epsilon = Double.parseDouble(value);
                    budget[0] = Double.isNaN(budget[0]) ? epsilon : Math.min(budget[0], epsilon);
                } else if (operand.equals(KakehashiPolicy.AI_MODEL_EXPORT)) {
                    var allowed = Boolean.parseBoolean(value);
                    export[0] = export[0] == null ? allowed : export[0] && allowed;
                }
            } catch (NumberFormatException e) {
                // a malformed operand is refused when the policy is created and denied by its constraint function;
                // it configures nothing here
            }
        };
        if (policy != null) {
            policy.getPermissions().forEach(permission -> permission.getConstraints().forEach(c -> visit(c, read)));
        }
        return new AgreementTerms(k[0] < 0 ? OptionalLong.empty() : OptionalLong.of(k[0]),
                Double.isNaN(budget[0]) ? OptionalDouble.empty() : OptionalDouble.of(budget[0]),
                Optional.ofNullable(export[0]));
    }

    private static void visit(Constraint constraint, Consumer<AtomicConstraint> read) {
        if (constraint instanceof AtomicConstraint atomic) {
            read.accept(atomic);
        } else if (constraint instanceof AndConstraint and) {
            // only conjunctions bind for sure; an or/xone leaves the choice to the engine
            and.getConstraints().forEach(c -> visit(c, read));
        }
    }

    private static String plain(Object value) {
        // the constraint functions' own reading of a right operand (JSON-LD value objects, numbers, strings)
        return String.valueOf(RightOperand.plain(value)).trim();
    }
}
