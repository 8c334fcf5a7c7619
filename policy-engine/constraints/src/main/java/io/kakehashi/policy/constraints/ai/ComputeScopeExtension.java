package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Adds the {@code compute} scope to EDC's policy engine, in which every compute job is decided against its
 * agreement's policy, and the AI-use constraints that only make sense there: {@code ai.modelExport},
 * {@code ai.minAggregation} and {@code ai.dpEpsilon}. They take no part in catalog, negotiation or transfer
 * decisions, but a policy that misuses them is refused when it is created.
 */
@Extension(ComputeScopeExtension.NAME)
public class ComputeScopeExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute scope";

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private RuleBindingRegistry ruleBindingRegistry;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        register(policyEngine, ruleBindingRegistry);
    }

    /** Registers the scope and its functions; also used by tests on a bare engine. */
    public static void register(PolicyEngine engine, RuleBindingRegistry bindings) {
        engine.registerScope(ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class);
        bindings.bind(KakehashiPolicy.ODRL_USE, ComputePolicyContext.COMPUTE_SCOPE);
        bindings.bind(ModelExportConstraintFunction.LEFT_OPERAND, ComputePolicyContext.COMPUTE_SCOPE);
        bindings.bind(MinAggregationConstraintFunction.LEFT_OPERAND, ComputePolicyContext.COMPUTE_SCOPE);
        bindings.bind(DpEpsilonConstraintFunction.LEFT_OPERAND, ComputePolicyContext.COMPUTE_SCOPE);
        engine.registerFunction(ComputePolicyContext.class, Permission.class, ModelExportConstraintFunction.LEFT_OPERAND, new ModelExportConstraintFunction());
        engine.registerFunction(ComputePolicyContext.class, Permission.class, MinAggregationConstraintFunction.LEFT_OPERAND, new MinAggregationConstraintFunction());
        engine.registerFunction(ComputePolicyContext.class, Permission.class, DpEpsilonConstraintFunction.LEFT_OPERAND, new DpEpsilonConstraintFunction());
    }
}
