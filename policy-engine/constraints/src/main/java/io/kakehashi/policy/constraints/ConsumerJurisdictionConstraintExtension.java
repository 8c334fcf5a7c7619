package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.HashMap;
import java.util.Set;

/**
 * Adds the consumer-jurisdiction constraint to EDC's policy engine for the catalog, negotiation, transfer and compute scopes,
 * with the country groups defined in configuration, and provides the groups to the other constraints that name
 * jurisdictions ({@code onwardTransfer}).
 */
@Extension(ConsumerJurisdictionConstraintExtension.NAME)
@Provides(JurisdictionGroups.class)
public class ConsumerJurisdictionConstraintExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi consumer jurisdiction constraint";
    public static final String GROUPS_PREFIX = "kakehashi.policy.jurisdiction.groups";

    // documents the settings kakehashi.policy.jurisdiction.groups.<NAME>; their names are the operator's, so they are
    // read as a partition of the configuration rather than injected
    @Setting(context = GROUPS_PREFIX + ".<NAME>", required = false,
            description = "A named group of countries for consumerJurisdiction constraints: ISO 3166-1 alpha-2 codes, comma-separated")
    public static final String GROUP = "<NAME>";

    @Inject
    private ConstraintRegistrar registrar;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var definitions = new HashMap<String, String>();
        context.getConfig(GROUPS_PREFIX).getRelativeEntries().forEach(definitions::put);
        var groups = JurisdictionGroups.of(definitions)
                .orElseThrow(failure -> new EdcException("Invalid setting '%s.*': %s".formatted(GROUPS_PREFIX, failure.getFailureDetail())));
        context.registerService(JurisdictionGroups.class, groups);
        var rule = ConsumerJurisdictionConstraintFunction.rule(groups);
        register(CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class, rule);
        register(ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class, rule);
        register(TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class, rule);
        register(ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class, rule);
        if (!groups.names().isEmpty()) {
            context.getMonitor().info("Jurisdiction groups: " + String.join(", ", groups.names()));
        }
    }

    private <C extends ParticipantAgentPolicyContext> void register(String scope, Class<C> contextType, OperandRule<Set<String>> rule) {
        registrar.register(rule, scope, contextType, Permission.class, new ConsumerJurisdictionConstraintFunction<C>(rule));
    }
}
