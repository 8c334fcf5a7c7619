package io.kakehashi.core.protocol;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.spi.TransactionContext;

/**
 * Wraps EDC's {@link RemoteMessageDispatcherRegistry} so that a provider's agreement is saved before it is sent
 * ({@link AgreementRecordingDispatcherRegistry}) and a peer's 409 to a message that overtook its own save is sent again
 * ({@link ConflictRetryingDispatcherRegistry}); the store side, which keeps it through later saves, is
 * {@link AgreementKeepingContractNegotiationStore}, wrapped by the stores' extension. EDC provides the registry with
 * a non-default provider; declaring it provided here orders this extension before the state machines that inject it.
 */
@Extension(AgreementKeepingExtension.NAME)
@Provides(RemoteMessageDispatcherRegistry.class)
public class AgreementKeepingExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi agreements kept across sends";

    @Inject
    private RemoteMessageDispatcherRegistry dispatchers;
    @Inject(required = false)
    private ContractNegotiationStore negotiations;
    @Inject
    private TransactionContext transactions;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (negotiations != null && !(dispatchers instanceof ConflictRetryingDispatcherRegistry)) {
            var recording = new AgreementRecordingDispatcherRegistry(dispatchers, negotiations, transactions, context.getMonitor().withPrefix("Agreements"));
            context.registerService(RemoteMessageDispatcherRegistry.class,
                    new ConflictRetryingDispatcherRegistry(recording, context.getMonitor().withPrefix("Dispatch")));
        }
    }
}
