package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.constraints.Comparison;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code derivedData} and {@code derivedModels} (METI's contract guidelines: whether the recipient may make derived
 * data and models from the data, and keep them): {@code none} refuses every compute job that would make one —
 * {@code sql}, {@code evaluation} and {@code predict} jobs make derived data, {@code training} and {@code fl-round} jobs make models;
 * {@code use-only} and {@code keep} let it be made. {@code use-only} results are deleted with the data at its deletion
 * deadline, {@code keep} results stay (the consumer's deletion reads {@link #of}). Thread-safe.
 */
public final class DerivationConstraintFunction implements AtomicConstraintRuleFunction<Permission, ComputePolicyContext> {

    /** What an agreement allows for what is derived. */
    public enum Allowance {
        NONE("none"), USE_ONLY("use-only"), KEEP("keep");

        private final String term;

        Allowance(String term) {
            this.term = term;
        }

        public String term() {
            return term;
        }

        static Optional<Allowance> of(String term) {
            return Arrays.stream(values()).filter(a -> a.term.equals(term)).findFirst();
        }
    }

    public static final OperandRule<Allowance> DERIVED_DATA = rule(KakehashiPolicy.DERIVED_DATA, "derivedData");
    public static final OperandRule<Allowance> DERIVED_MODELS = rule(KakehashiPolicy.DERIVED_MODELS, "derivedModels");

    private static final Set<String> DATA_JOBS = Set.of("sql", "evaluation", "predict");
    private static final Set<String> MODEL_JOBS = Set.of("training", "fl-round");

    private final OperandRule<Allowance> rule;
    private final String name;
    private final Set<String> makingJobs;
    private final String what;

    private DerivationConstraintFunction(OperandRule<Allowance> rule, String name, Set<String> makingJobs, String what) {
        this.rule = rule;
        this.name = name;
        this.makingJobs = makingJobs;
        this.what = what;
    }

    public static DerivationConstraintFunction derivedData() {
        return new DerivationConstraintFunction(DERIVED_DATA, "derivedData", DATA_JOBS, "derived data");
    }

    public static DerivationConstraintFunction derivedModels() {
        return new DerivationConstraintFunction(DERIVED_MODELS, "derivedModels", MODEL_JOBS, "a model");
    }

    /**
     * What the policy allows for derived data ({@link #DERIVED_DATA}) or models ({@link #DERIVED_MODELS}): the value of
     * the first such constraint of its permissions that reads; empty when it has none (the guideline's default: made
     * and used under the agreement, deleted with the data).
     */
    public static Optional<Allowance> of(Policy policy, OperandRule<Allowance> rule) {
        return policy.getPermissions().stream().flatMap(p -> p.getConstraints().stream())
                .filter(AtomicConstraint.class::isInstance).map(AtomicConstraint.class::cast)
                .filter(c -> c.getLeftExpression() instanceof LiteralExpression left && rule.leftOperand().equals(left.asString()))
                .filter(c -> c.getRightExpression() instanceof LiteralExpression)
                .map(c -> rule.read(c.getOperator(), ((LiteralExpression) c.getRightExpression()).getValue()))
                .filter(Result::succeeded).map(Result::getContent).findFirst();
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission permission, ComputePolicyContext context) {
        var allowance = rule.read(operator, rightValue);
        if (allowance.failed()) {
            context.reportProblem(allowance.getFailureDetail());
            return false;
        }
        if (allowance.getContent() == Allowance.NONE && makingJobs.contains(context.job().type())) {
            context.reportProblem("%s: the %s job would make %s from the data; the agreement allows none (%s none)"
                    .formatted(name, context.job().type(), what, name));
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission permission) {
        return rule.validate(operator, rightValue);
    }

    private static OperandRule<Allowance> rule(String leftOperand, String name) {
        return new OperandRule<>(leftOperand, name, List.of(Operator.EQ), (operator, rightValue) -> {
            if (operator != Operator.EQ) {
                return Result.failure("%s: operator '%s' is not allowed (eq)".formatted(name, Comparison.term(operator)));
            }
            var value = RightOperand.plain(rightValue);
            return Allowance.of(value instanceof String text ? text : null).map(Result::success)
                    .orElseGet(() -> Result.failure("%s: '%s' is not 'none', 'use-only' or 'keep'".formatted(name, value)));
        });
    }
}
