package io.kakehashi.policy.validation;

import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.stream.Collectors;

/**
 * Provides the table of left operands ({@link OperandRules}) and the {@link ConstraintRegistrar} through which every
 * Kakehashi constraint extension adds its constraints, so that EDC's validation at policy creation refuses, with a 400
 * naming the constraint, a policy whose constraint has an unknown operand, an operator its operand does not take, or
 * a right operand of the wrong type.
 */
@Extension(PolicyValidationExtension.NAME)
public class PolicyValidationExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi policy validation";
    // EDC's own switch for validating policy definitions when they are created or updated (default true)
    static final String EDC_POLICY_VALIDATION = "edc.policy.validation.enabled";

    private final OperandRules rules = new OperandRules();

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private RuleBindingRegistry ruleBindingRegistry;

    private ConstraintRegistrar registrar;
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor();
        if (!context.getConfig().getBoolean(EDC_POLICY_VALIDATION, true)) {
            context.getMonitor().warning("'%s' is false: policies are stored without checking their constraints, and a malformed one is denied only when evaluated"
                    .formatted(EDC_POLICY_VALIDATION));
        }
    }

    @Override
    public void start() {
        // by now every constraint extension has registered its operands
        monitor.debug(() -> "Policy left operands: " + rules.all().stream().map(OperandRule::shortName).collect(Collectors.joining(", ")));
    }

    @Provider
    public OperandRules operandRules() {
        return rules;
    }

    @Provider
    public ConstraintRegistrar constraintRegistrar() {
        if (registrar == null) {
            registrar = new ConstraintRegistrar(policyEngine, ruleBindingRegistry, rules);
        }
        return registrar;
    }
}
