package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Adds the purpose constraint to EDC's policy engine: bound into the agreement at negotiation, checked for every job
 * in the {@code compute} scope, and registered for the catalog and transfer scopes so that a purpose in any policy is
 * evaluated rather than filtered out.
 */
@Extension(PurposeConstraintExtension.NAME)
public class PurposeConstraintExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi purpose constraint";

    @Inject
    private ConstraintRegistrar registrar;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        register(registrar);
    }

    /** Registers the constraint in its scopes; also used by tests on a bare engine. */
    public static void register(ConstraintRegistrar registrar) {
        register(registrar, CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class);
        register(registrar, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class);
        register(registrar, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class);
        register(registrar, ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class);
    }

    private static <C extends PolicyContext> void register(ConstraintRegistrar registrar, String scope, Class<C> contextType) {
        registrar.register(PurposeConstraintFunction.RULE, scope, contextType, Permission.class, new PurposeConstraintFunction<C>());
    }
}
