package io.kakehashi.policy.constraints.onward;

import io.kakehashi.policy.constraints.JurisdictionGroups;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Adds the {@code onwardTransfer} constraint to EDC's policy engine (catalog, negotiation, transfer and compute
 * scopes, where a well-formed one admits) with the configured jurisdiction groups, and provides its
 * {@link OperandRule} so that the consumer's side can read an agreement's constraint with the same parser.
 */
@Extension(OnwardTransferConstraintExtension.NAME)
@Provides(OnwardTransferRule.class)
public class OnwardTransferConstraintExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi onward transfer constraint";

    @Inject
    private ConstraintRegistrar registrar;
    @Inject
    private JurisdictionGroups groups;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var rule = OnwardTransfer.rule(groups);
        register(registrar, rule);
        context.registerService(OnwardTransferRule.class, new OnwardTransferRule(rule));
    }

    /** Registers the constraint in its scopes; also used by tests on a bare engine. */
    public static void register(ConstraintRegistrar registrar, OperandRule<OnwardTransfer> rule) {
        register(registrar, rule, CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class);
        register(registrar, rule, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class);
        register(registrar, rule, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class);
        register(registrar, rule, ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class);
    }

    private static <C extends PolicyContext> void register(ConstraintRegistrar registrar, OperandRule<OnwardTransfer> rule, String scope, Class<C> type) {
        registrar.register(rule, scope, type, Permission.class, new OnwardTransferConstraintFunction<C>(rule));
    }
}
