package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Adds ODRL's {@code count} to EDC's policy engine in the transfer-process scope: an agreement allows at most so
 * many transfers, counted from the transfer store.
 */
@Extension(TransferCountConstraintExtension.NAME)
public class TransferCountConstraintExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi transfer count constraint";

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private RuleBindingRegistry ruleBindingRegistry;
    @Inject
    private TransferProcessStore transferProcessStore;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        ruleBindingRegistry.bind(TransferCountConstraintFunction.LEFT_OPERAND, TransferProcessPolicyContext.TRANSFER_SCOPE);
        policyEngine.registerFunction(TransferProcessPolicyContext.class, Permission.class, TransferCountConstraintFunction.LEFT_OPERAND,
                new TransferCountConstraintFunction(new StoredTransferCounter(transferProcessStore)));
    }
}
