package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.ModelRunPolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Adds the {@code model.run} scope to EDC's policy engine, in which the holder's connector decides each run of a
 * vendor's model it received, and {@code ai.inferenceRuns}, the constraint that counts them. The time constraints
 * ({@code dateTime}, {@code elapsedTime}) are bound to the scope by {@code TimeConstraintsExtension}; constraints about
 * the counterparty (jurisdiction, membership, …) are not bound to it, so EDC leaves them out of a run's evaluation:
 * the vendor decided them when it agreed.
 */
@Extension(ModelRunScopeExtension.NAME)
public class ModelRunScopeExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi model-run scope";

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

    /** Registers the scope and its function; also used by tests on a bare engine. */
    public static void register(PolicyEngine engine, RuleBindingRegistry bindings, ConstraintRegistrar registrar) {
        var scope = ModelRunPolicyContext.MODEL_RUN_SCOPE;
        engine.registerScope(scope, ModelRunPolicyContext.class);
        bindings.bind(KakehashiPolicy.ODRL_USE, scope);
        registrar.register(InferenceRunsConstraintFunction.RULE, scope, ModelRunPolicyContext.class, Permission.class, new InferenceRunsConstraintFunction());
    }
}
