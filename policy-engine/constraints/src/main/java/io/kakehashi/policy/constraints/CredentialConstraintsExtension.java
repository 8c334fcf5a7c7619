package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Clock;

/**
 * Adds the credential constraints, {@code membership} (of a dataspace), {@code certification} (valid now) and
 * {@code counterpartyLegalId} (a JCN or LEI from the legal-entity credential), to EDC's
 * policy engine for the catalog, negotiation, transfer and compute scopes, decided on the consumer's verified claims.
 */
@Extension(CredentialConstraintsExtension.NAME)
public class CredentialConstraintsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi credential constraints";

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
        register(registrar, clock);
    }

    /** Registers the constraints in their scopes; also used by tests on a bare engine. */
    public static void register(ConstraintRegistrar registrar, Clock clock) {
        var time = new PolicyTime(clock);
        register(registrar, CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class, time);
        register(registrar, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class, time);
        register(registrar, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class, time);
        register(registrar, ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class, time);
    }

    private static <C extends ParticipantAgentPolicyContext> void register(ConstraintRegistrar registrar, String scope, Class<C> contextType, PolicyTime time) {
        registrar.register(MembershipConstraintFunction.RULE, scope, contextType, Permission.class, new MembershipConstraintFunction<C>());
        registrar.register(CertificationConstraintFunction.RULE, scope, contextType, Permission.class, new CertificationConstraintFunction<C>(time));
        registrar.register(CounterpartyLegalIdConstraintFunction.RULE, scope, contextType, Permission.class, new CounterpartyLegalIdConstraintFunction<C>());
    }
}
