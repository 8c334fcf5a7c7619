package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.DynamicAtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Prohibition;
import org.eclipse.edc.policy.model.Rule;
import org.eclipse.edc.spi.result.Result;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps a constraint function so that what it decides, and the problems it reports, land in the trace of the
 * evaluation that runs it. The wrapped function decides alone: the wrapper never changes an answer, and validation
 * and the function's name are passed through. Thread-safe if the wrapped function is.
 */
final class TracedConstraintFunction {

    private TracedConstraintFunction() {
    }

    static <R extends Rule, C extends PolicyContext> AtomicConstraintRuleFunction<R, C> of(String key, AtomicConstraintRuleFunction<R, C> function,
                                                                                          Supplier<Optional<EvaluationTrace>> trace) {
        return new AtomicConstraintRuleFunction<>() {
            @Override
            public boolean evaluate(Operator operator, Object rightValue, R rule, C context) {
                return traced(trace, key, operator, rightValue, rule, context, () -> function.evaluate(operator, rightValue, rule, context));
            }

            @Override
            public Result<Void> validate(Operator operator, Object rightValue, R rule) {
                return function.validate(operator, rightValue, rule);
            }

            @Override
            public String name() {
                return function.name();
            }
        };
    }

    static <R extends Rule, C extends PolicyContext> DynamicAtomicConstraintRuleFunction<R, C> of(DynamicAtomicConstraintRuleFunction<R, C> function,
                                                                                                 Supplier<Optional<EvaluationTrace>> trace) {
        return new DynamicAtomicConstraintRuleFunction<>() {
            @Override
            public boolean evaluate(Object leftValue, Operator operator, Object rightValue, R rule, C context) {
                return traced(trace, leftValue, operator, rightValue, rule, context, () -> function.evaluate(leftValue, operator, rightValue, rule, context));
            }

            @Override
            public boolean canHandle(Object leftValue) {
                return function.canHandle(leftValue);
            }

            @Override
            public Result<Void> validate(Object leftValue, Operator operator, Object rightValue, R rule) {
                return function.validate(leftValue, operator, rightValue, rule);
            }

            @Override
            public String name() {
                return function.name();
            }
        };
    }

    private static boolean traced(Supplier<Optional<EvaluationTrace>> traces, Object leftOperand, Operator operator, Object rightValue,
                                  Rule rule, PolicyContext context, Supplier<Boolean> evaluation) {
        var trace = traces.get();
        if (trace.isEmpty()) {
            return evaluation.get();
        }
        var name = ConstraintNames.shortName(leftOperand);
        var problemsBefore = context.getProblems().size();
        boolean satisfied;
        try {
            satisfied = evaluation.get();
        } catch (RuntimeException e) {
            trace.get().add(new ConstraintReason(name, DecisionOutcome.DENY, name + ": evaluation failed: " + e.getMessage()));
            throw e;
        }
        var problems = context.getProblems();
        var reported = problems.size() > problemsBefore ? String.join("; ", problems.subList(problemsBefore, problems.size())) : null;
        // a prohibition's constraints describe what is forbidden: when they hold, the prohibition denies
        var denies = rule instanceof Prohibition == satisfied;
        var condition = "%s %s %s".formatted(name, operator == null ? "?" : ConstraintNames.shortName(operator.getOdrlRepresentation()), ConstraintNames.value(rightValue));
        String reason;
        if (denies) {
            reason = reported != null ? reported : name + ": not satisfied (" + condition + ")";
        } else {
            reason = reported != null ? reported : name + ": satisfied (" + condition + ")";
        }
        trace.get().add(new ConstraintReason(name, denies ? DecisionOutcome.DENY : DecisionOutcome.PERMIT, reason));
        return satisfied;
    }
}
