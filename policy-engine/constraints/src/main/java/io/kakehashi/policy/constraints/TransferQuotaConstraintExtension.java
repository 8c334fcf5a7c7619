package io.kakehashi.policy.constraints;

import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.List;

/**
 * Adds the transfer quotas, {@code transfer.maxBytes} and {@code transfer.maxMessages}, to the transfer-process scope
 * so that policies carrying them are valid and evaluate; the gRPC data plane enforces them per message.
 */
@Extension(TransferQuotaConstraintExtension.NAME)
public class TransferQuotaConstraintExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi transfer quota constraints";

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

    /** Registers the quotas in the transfer scope; also used by tests on a bare engine. */
    public static void register(ConstraintRegistrar registrar) {
        for (var rule : List.of(TransferQuotaConstraintFunction.MAX_BYTES, TransferQuotaConstraintFunction.MAX_MESSAGES)) {
            registrar.register(rule, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class, Permission.class,
                    new TransferQuotaConstraintFunction<>(rule));
        }
    }
}
