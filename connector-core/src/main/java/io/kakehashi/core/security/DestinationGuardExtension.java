package io.kakehashi.core.security;

import org.eclipse.edc.connector.dataplane.spi.registry.TransferServiceRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;

/**
 * Registers the data plane's second line ({@link DestinationGuardTransferService}) in a runtime with a data plane.
 * Separate from {@link CounterpartyDestinationsExtension} so that providing the validator registry never waits for
 * the data plane.
 */
@Extension(DestinationGuardExtension.NAME)
public class DestinationGuardExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi data-plane destination guard";

    @Inject
    private DataAddressValidatorRegistry destinations;
    @Inject(required = false)
    private TransferServiceRegistry transferServices;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (transferServices != null) {
            transferServices.registerTransferService(DestinationGuardTransferService.PRIORITY, new DestinationGuardTransferService(destinations));
        }
    }
}
