package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.DynamicAtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.PolicyRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyValidatorRule;
import org.eclipse.edc.policy.engine.spi.plan.PolicyEvaluationPlan;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.Rule;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * EDC's policy engine with every decision written to the decision log. EDC's engine still does all the evaluating;
 * this decorator only watches: constraint functions registered through it are traced, and after each evaluation in
 * a logged scope (catalog, negotiation, transfer, compute) the outcome and the per-constraint reasons are recorded.
 *
 * <p>A decision that cannot be recorded is refused: the connector never acts on a decision the auditors cannot
 * see. A denial's message is what {@link DenialDisclosure} allows the peer to learn; the log keeps the full reasons.
 * Scopes that decide nothing about a peer's access (the consumer's own {@code request.*} scopes, the policy
 * monitor's periodic re-checks) pass through unrecorded.
 *
 * <p>Thread-safe: each evaluation's trace lives on its own thread.
 */
public final class RecordingPolicyEngine implements PolicyEngine {

    static final String NOT_RECORDED = "policy decision refused: it could not be recorded in the decision log";

    private final PolicyEngine delegate;
    private final DecisionEntryFactory entries;
    private final Consumer<DecisionEntry> log;
    private final DenialDisclosure disclosure;
    private final RecentDenial recentDenial;
    private final Monitor monitor;
    private final ThreadLocal<Deque<EvaluationTrace>> traces = ThreadLocal.withInitial(ArrayDeque::new);

    RecordingPolicyEngine(PolicyEngine delegate, DecisionEntryFactory entries, Consumer<DecisionEntry> log, DenialDisclosure disclosure,
                          RecentDenial recentDenial, Monitor monitor) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.entries = Objects.requireNonNull(entries, "entries");
        this.log = Objects.requireNonNull(log, "log");
        this.disclosure = Objects.requireNonNull(disclosure, "disclosure");
        this.recentDenial = Objects.requireNonNull(recentDenial, "recentDenial");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public <C extends PolicyContext> Result<Void> evaluate(Policy policy, C context) {
        var scope = DecisionScope.fromWireName(context.scope());
        if (scope.isEmpty()) {
            return delegate.evaluate(policy, context);
        }
        var trace = new EvaluationTrace();
        var stack = traces.get();
        stack.push(trace);
        Result<Void> result;
        try {
            result = delegate.evaluate(policy, context);
        } finally {
            stack.pop();
            if (stack.isEmpty()) {
                traces.remove();
            }
        }
        var reasons = new ArrayList<>(trace.reasons());
        if (result.failed() && reasons.stream().noneMatch(r -> r.outcome() == DecisionOutcome.DENY)) {
            // denied before or outside any traced constraint (a pre-validator, an unbound operand): keep EDC's words
            reasons.add(new ConstraintReason("policy", DecisionOutcome.DENY, result.getFailureDetail()));
        }
        var outcome = result.succeeded() ? DecisionOutcome.PERMIT : DecisionOutcome.DENY;
        try {
            log.accept(entries.create(scope.get(), policy, context, outcome, reasons));
        } catch (RuntimeException e) {
            monitor.severe("Decision log: could not record a %s decision in scope %s; refusing it: %s"
                    .formatted(outcome, scope.get().wireName(), e.getMessage()));
            return Result.failure(NOT_RECORDED);
        }
        if (result.succeeded()) {
            return result;
        }
        var denied = reasons.stream().filter(r -> r.outcome() == DecisionOutcome.DENY).toList();
        var message = disclosure.describe(denied);
        recentDenial.remember(message);
        return Result.failure(message);
    }

    private Optional<EvaluationTrace> currentTrace() {
        return Optional.ofNullable(traces.get().peek());
    }

    @Override
    public <R extends Rule, C extends PolicyContext> void registerFunction(Class<C> contextType, Class<R> type, String key,
                                                                          AtomicConstraintRuleFunction<R, C> function) {
        delegate.registerFunction(contextType, type, key, TracedConstraintFunction.of(key, function, this::currentTrace));
    }

    @Override
    public <R extends Rule, C extends PolicyContext> void registerFunction(Class<C> contextType, Class<R> type,
                                                                          DynamicAtomicConstraintRuleFunction<R, C> function) {
        delegate.registerFunction(contextType, type, TracedConstraintFunction.of(function, this::currentTrace));
    }

    @Override
    public <R extends Rule, C extends PolicyContext> void registerFunction(Class<C> contextType, Class<R> type, PolicyRuleFunction<R, C> function) {
        delegate.registerFunction(contextType, type, function);
    }

    @Override
    public Policy filter(Policy policy, String scope) {
        return delegate.filter(policy, scope);
    }

    @Override
    public Result<Void> validate(Policy policy) {
        return delegate.validate(policy);
    }

    @Override
    public PolicyEvaluationPlan createEvaluationPlan(String scope, Policy policy) {
        return delegate.createEvaluationPlan(scope, policy);
    }

    @Override
    public <C extends PolicyContext> void registerScope(String scope, Class<C> contextType) {
        delegate.registerScope(scope, contextType);
    }

    @Override
    public <C extends PolicyContext> void registerPreValidator(Class<C> contextType, PolicyValidatorRule<C> validator) {
        delegate.registerPreValidator(contextType, validator);
    }

    @Override
    public <C extends PolicyContext> void registerPostValidator(Class<C> contextType, PolicyValidatorRule<C> validator) {
        delegate.registerPostValidator(contextType, validator);
    }
}
