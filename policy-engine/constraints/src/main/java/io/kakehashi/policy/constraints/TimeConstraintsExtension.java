package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.ModelRunPolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorContext;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Clock;

/**
 * Adds ODRL's time constraints, {@code dateTime} and {@code elapsedTime}, to EDC's policy engine in every scope
 * where a use window matters: catalog (offers outside their window are not shown), contract negotiation, transfer
 * start, the policy monitor (a running transfer is stopped when its window closes), compute (no job runs outside
 * the window) and model run (a vendor's model received for inference is not run outside the window).
 */
@Extension(TimeConstraintsExtension.NAME)
public class TimeConstraintsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi time constraints";

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

    /** Binds the use action and registers the constraints in their scopes; also used by tests on a bare engine. */
    public static void register(RuleBindingRegistry ruleBindingRegistry, ConstraintRegistrar registrar, Clock clock) {
        var time = new PolicyTime(clock);
        // EDC binds the "use" action to the transfer and policy-monitor scopes only, so its rules, and every
        // constraint in them, are filtered out of catalog and negotiation evaluations; a window that has closed must
        // already stop an offer from being shown or agreed
        ruleBindingRegistry.bind(KakehashiPolicy.ODRL_USE, CatalogPolicyContext.CATALOG_SCOPE);
        ruleBindingRegistry.bind(KakehashiPolicy.ODRL_USE, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE);
        register(registrar, CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class, time);
        register(registrar, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class, time);
        register(registrar, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class, time);
        register(registrar, PolicyMonitorContext.POLICY_MONITOR_SCOPE, PolicyMonitorContext.class, time);
        register(registrar, ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class, time);
        register(registrar, ModelRunPolicyContext.MODEL_RUN_SCOPE, ModelRunPolicyContext.class, time);
    }

    private static <C extends PolicyContext> void register(ConstraintRegistrar registrar, String scope, Class<C> contextType, PolicyTime time) {
        registrar.register(DateTimeConstraintFunction.RULE, scope, contextType, Permission.class, new DateTimeConstraintFunction<>(time));
        registrar.register(ElapsedTimeConstraintFunction.RULE, scope, contextType, Permission.class, new ElapsedTimeConstraintFunction<>(time));
    }
}
