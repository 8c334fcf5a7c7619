package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.ModelRunPolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorContext;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Duty;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Clock;
import java.util.List;

/**
 * Adds the deletion duty: an {@code odrl:delete} duty (of a permission, or an obligation of the policy) with an
 * {@code elapsedTime} window. The action is bound to every scope an agreement is evaluated in, and the window has a
 * duty function there, so EDC accepts such a policy at creation and evaluates it: the duty never blocks an
 * agreement, and it refuses use once its deadline has passed.
 */
@Extension(DeletionDutyExtension.NAME)
public class DeletionDutyExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi deletion duty";

    @Inject
    private RuleBindingRegistry ruleBindingRegistry;
    @Inject
    private ConstraintRegistrar registrar;
    @Inject
    private Clock clock;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        register(ruleBindingRegistry, registrar, clock);
    }

    /** Binds the action and registers the duty function in every scope; also used by tests on a bare engine. */
    public static void register(RuleBindingRegistry ruleBindingRegistry, ConstraintRegistrar registrar, Clock clock) {
        var time = new PolicyTime(clock);
        // a rule whose action is not bound to a scope is dropped from its evaluations, and refused at creation
        for (var scope : List.of(CatalogPolicyContext.CATALOG_SCOPE, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE,
                TransferProcessPolicyContext.TRANSFER_SCOPE, PolicyMonitorContext.POLICY_MONITOR_SCOPE, ComputePolicyContext.COMPUTE_SCOPE,
                ModelRunPolicyContext.MODEL_RUN_SCOPE)) {
            ruleBindingRegistry.bind(DeletionDeadlines.ODRL_DELETE, scope);
        }
        // EDC has no default for a duty's constraint: without a function it is evaluated to nothing and fails
        register(registrar, CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class, time);
        register(registrar, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class, time);
        register(registrar, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class, time);
        register(registrar, PolicyMonitorContext.POLICY_MONITOR_SCOPE, PolicyMonitorContext.class, time);
        register(registrar, ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class, time);
        // a vendor's model received for inference is not run once it was due for deletion
        register(registrar, ModelRunPolicyContext.MODEL_RUN_SCOPE, ModelRunPolicyContext.class, time);
    }

    private static <C extends PolicyContext> void register(ConstraintRegistrar registrar, String scope, Class<C> contextType, PolicyTime time) {
        registrar.register(ElapsedTimeConstraintFunction.RULE, scope, contextType, Duty.class, new DeletionDutyFunction<C>(time));
    }
}
