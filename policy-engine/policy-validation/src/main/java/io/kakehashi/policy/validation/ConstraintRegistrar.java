package io.kakehashi.policy.validation;

import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Rule;
import org.eclipse.edc.spi.result.Result;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way Kakehashi's constraint extensions add a constraint to EDC's policy engine: with its {@link OperandRule}.
 * Registering binds the left operand to the scope, adds the rule to the {@link OperandRules} table and registers the
 * function so that EDC's validation at policy creation ({@code PolicyEngine.validate}, which the management API runs
 * before storing a policy definition and answers with 400) checks the constraint against the table, not against
 * whatever the function's own {@code validate} says. A constraint cannot be added without its validation rule.
 * Thread-safe.
 */
public final class ConstraintRegistrar {

    private final PolicyEngine engine;
    private final RuleBindingRegistry bindings;
    private final OperandRules rules;
    private final Set<String> validated = ConcurrentHashMap.newKeySet();

    public ConstraintRegistrar(PolicyEngine engine, RuleBindingRegistry bindings, OperandRules rules) {
        this.engine = engine;
        this.bindings = bindings;
        this.rules = rules;
    }

    /**
     * Adds {@code function} for {@code rule}'s left operand in one scope.
     *
     * @throws IllegalStateException when another rule is already registered for the operand (a programming error)
     */
    public <R extends Rule, C extends PolicyContext> void register(OperandRule<?> rule, String scope, Class<C> contextType,
                                                                   Class<R> ruleType, AtomicConstraintRuleFunction<R, C> function) {
        rules.add(rule).orElseThrow(failure -> new IllegalStateException(failure.getFailureDetail()));
        bindings.bind(rule.leftOperand(), scope);
        // EDC validates a constraint with every function registered for its operand and rule type, whatever the scope,
        // and lists each failure; the first registration validates, the others would only repeat its message
        var validates = validated.add(rule.leftOperand() + "|" + ruleType.getName());
        engine.registerFunction(contextType, ruleType, rule.leftOperand(), new TableValidatedFunction<>(rule, validates, function));
    }

    /** Evaluates with the constraint's function, validates with its rule. */
    private record TableValidatedFunction<R extends Rule, C extends PolicyContext>(OperandRule<?> rule, boolean validates,
                                                                                  AtomicConstraintRuleFunction<R, C> function)
            implements AtomicConstraintRuleFunction<R, C> {

        @Override
        public boolean evaluate(Operator operator, Object rightValue, R rule, C context) {
            return function.evaluate(operator, rightValue, rule, context);
        }

        @Override
        public Result<Void> validate(Operator operator, Object rightValue, R ignored) {
            return validates ? rule.validate(operator, rightValue) : Result.success();
        }

        @Override
        public String name() {
            return function.name();
        }
    }
}
