package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.ConstraintRegistrar;
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
 * {@code ai.minAggregation}, {@code ai.dpEpsilon}, {@code derivedData}, {@code derivedModels} and {@code modelRights}. They take no part in catalog, negotiation or transfer
 * decisions, but a policy that misuses them is refused when it is created.
 */
@Extension(ComputeScopeExtension.NAME)
public class ComputeScopeExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute scope";

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private RuleBindingRegistry ruleBindingRegistry;
    @Inject
    private ConstraintRegistrar registrar;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        register(policyEngine, ruleBindingRegistry, registrar);
    }

    /** Registers the scope and its functions; also used by tests on a bare engine. */
    public static void register(PolicyEngine engine, RuleBindingRegistry bindings, ConstraintRegistrar registrar) {
        var scope = ComputePolicyContext.COMPUTE_SCOPE;
        engine.registerScope(scope, ComputePolicyContext.class);
        bindings.bind(KakehashiPolicy.ODRL_USE, scope);
        registrar.register(ModelExportConstraintFunction.RULE, scope, ComputePolicyContext.class, Permission.class, new ModelExportConstraintFunction());
        registrar.register(MinAggregationConstraintFunction.RULE, scope, ComputePolicyContext.class, Permission.class, new MinAggregationConstraintFunction());
        registrar.register(DpEpsilonConstraintFunction.RULE, scope, ComputePolicyContext.class, Permission.class, new DpEpsilonConstraintFunction());
        registrar.register(DerivationConstraintFunction.DERIVED_DATA, scope, ComputePolicyContext.class, Permission.class, DerivationConstraintFunction.derivedData());
        registrar.register(DerivationConstraintFunction.DERIVED_MODELS, scope, ComputePolicyContext.class, Permission.class, DerivationConstraintFunction.derivedModels());
        registrar.register(ModelRightsConstraintFunction.RULE, scope, ComputePolicyContext.class, Permission.class, new ModelRightsConstraintFunction());
    }
}
