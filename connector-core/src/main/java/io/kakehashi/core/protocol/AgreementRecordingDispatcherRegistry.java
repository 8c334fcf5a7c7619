package io.kakehashi.core.protocol;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.spi.message.RemoteMessageDispatcher;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.response.StatusResult;
import org.eclipse.edc.spi.types.domain.message.RemoteMessage;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.util.concurrent.CompletableFuture;

/**
 * EDC's dispatcher registry, saving a provider's agreement on its negotiation before the agreement leaves: EDC
 * 0.15.1 saves it only once the consumer answered, so a provider killed in between restarts with none and sends the
 * consumer a new agreement it must refuse (it holds the first, and may have verified it). Saved first, the agreement
 * is found again by EDC's {@code processAgreeing} after a failed send or a restart, and sent unchanged; the consumer
 * then recognises a message it already applied ({@link OrderedContractNegotiationProtocolService}). The save breaks
 * the state machine's lease on the negotiation, which is taken again in the same transaction under the same holder.
 * Every other message passes through. Thread-safe when the delegates are.
 */
public class AgreementRecordingDispatcherRegistry implements RemoteMessageDispatcherRegistry {

    private final RemoteMessageDispatcherRegistry delegate;
    private final ContractNegotiationStore store;
    private final TransactionContext transactions;
    private final Monitor monitor;

    public AgreementRecordingDispatcherRegistry(RemoteMessageDispatcherRegistry delegate, ContractNegotiationStore store,
                                                TransactionContext transactions, Monitor monitor) {
        this.delegate = delegate;
        this.store = store;
        this.transactions = transactions;
        this.monitor = monitor;
    }

    @Override
    public void register(String protocol, RemoteMessageDispatcher dispatcher) {
        delegate.register(protocol, dispatcher);
    }

    @Override
    public <T> CompletableFuture<StatusResult<T>> dispatch(String participantContextId, Class<T> responseType, RemoteMessage message) {
        if (message instanceof ContractAgreementMessage agreementMessage && agreementMessage.getContractAgreement() != null) {
            try {
                record(agreementMessage);
            } catch (RuntimeException e) {
                // not sending is worse than sending an agreement a restart could not repeat: EDC's behaviour, logged
                monitor.warning("Could not save agreement %s before sending it".formatted(agreementMessage.getContractAgreement().getAgreementId()), e);
            }
        }
        return delegate.dispatch(participantContextId, responseType, message);
    }

    private void record(ContractAgreementMessage message) {
        var negotiationId = message.getProviderPid();
        if (negotiationId == null) {
            return;
        }
        transactions.execute(() -> {
            var negotiation = store.findById(negotiationId);
            if (negotiation == null || negotiation.getType() != ContractNegotiation.Type.PROVIDER
                    || negotiation.getState() != ContractNegotiationStates.AGREEING.code() || negotiation.getContractAgreement() != null) {
                return;
            }
            negotiation.setContractAgreement(message.getContractAgreement());
            store.save(negotiation);
            store.findByIdAndLease(negotiationId);
        });
    }
}
