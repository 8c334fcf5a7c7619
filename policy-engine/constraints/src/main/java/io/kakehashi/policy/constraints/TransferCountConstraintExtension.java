package io.kakehashi.policy.constraints;

import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
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
    private ConstraintRegistrar registrar;
    @Inject
    private TransferProcessStore transferProcessStore;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        registrar.register(TransferCountConstraintFunction.RULE, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class,
                Permission.class, new TransferCountConstraintFunction(new StoredTransferCounter(transferProcessStore)));
    }
}
