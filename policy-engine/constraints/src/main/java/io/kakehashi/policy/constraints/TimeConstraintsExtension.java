package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorContext;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Clock;
import java.util.List;

/**
 * Adds ODRL's time constraints, {@code dateTime} and {@code elapsedTime}, to EDC's policy engine in every scope
 * where a use window matters: catalog (offers outside their window are not shown), contract negotiation, transfer
 * start, and the policy monitor (a running transfer is stopped when its window closes).
 */
@Extension(TimeConstraintsExtension.NAME)
public class TimeConstraintsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi time constraints";

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private RuleBindingRegistry ruleBindingRegistry;
    @Inject
    private Clock clock;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var time = new PolicyTime(clock);
        // EDC binds the "use" action to the transfer and policy-monitor scopes only, so its rules, and every
        // constraint in them, are filtered out of catalog and negotiation evaluations; a window that has closed must
        // already stop an offer from being shown or agreed
        ruleBindingRegistry.bind(KakehashiPolicy.ODRL_USE, CatalogPolicyContext.CATALOG_SCOPE);
        ruleBindingRegistry.bind(KakehashiPolicy.ODRL_USE, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE);
        for (var scope : List.of(CatalogPolicyContext.CATALOG_SCOPE, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE,
                TransferProcessPolicyContext.TRANSFER_SCOPE, PolicyMonitorContext.POLICY_MONITOR_SCOPE)) {
            ruleBindingRegistry.bind(DateTimeConstraintFunction.LEFT_OPERAND, scope);
            ruleBindingRegistry.bind(ElapsedTimeConstraintFunction.LEFT_OPERAND, scope);
        }
        register(CatalogPolicyContext.class, time);
        register(ContractNegotiationPolicyContext.class, time);
        register(TransferProcessPolicyContext.class, time);
        register(PolicyMonitorContext.class, time);
    }

    private <C extends PolicyContext> void register(Class<C> contextType, PolicyTime time) {
        policyEngine.registerFunction(contextType, Permission.class, DateTimeConstraintFunction.LEFT_OPERAND, new DateTimeConstraintFunction<>(time));
        policyEngine.registerFunction(contextType, Permission.class, ElapsedTimeConstraintFunction.LEFT_OPERAND, new ElapsedTimeConstraintFunction<>(time));
    }
}
