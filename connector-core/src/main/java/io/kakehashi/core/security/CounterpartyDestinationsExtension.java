package io.kakehashi.core.security;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;

/**
 * Puts the counterparty rules for destinations ({@link CounterpartyDestinationRegistry}) in front of EDC's data-address
 * validator registry, which EDC consults for the destination of every DSP {@code TransferRequestMessage} and every
 * management transfer request, and registers the allow-list of EDC's {@code HttpData} destination. Modules register
 * the allow-lists of their own destination types through the registry as usual; a type nobody registered is refused.
 */
@Extension(CounterpartyDestinationsExtension.NAME)
public class CounterpartyDestinationsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi counterparty destinations";

    /** EDC's own registry (its core provides it); every other user gets the one provided here. */
    @Inject
    private DataAddressValidatorRegistry edcRegistry;

    private CounterpartyDestinationRegistry destinations;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        destinations();
    }

    @Provider
    public DataAddressValidatorRegistry dataAddressValidatorRegistry() {
        return destinations();
    }

    private CounterpartyDestinationRegistry destinations() {
        if (destinations == null) {
            destinations = edcRegistry instanceof CounterpartyDestinationRegistry own ? own : new CounterpartyDestinationRegistry(edcRegistry);
            destinations.registerDestinationValidator(HttpDataDestinations.TYPE, HttpDataDestinations.validator());
        }
        return destinations;
    }
}
