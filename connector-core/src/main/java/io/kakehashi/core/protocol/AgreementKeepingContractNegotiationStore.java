package io.kakehashi.core.protocol;

import io.kakehashi.core.persistence.ForwardingContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.spi.result.StoreResult;

/**
 * EDC's contract-negotiation store, never dropping a provider's agreement once saved. EDC 0.15.1's provider builds
 * the agreement in AGREEING and keeps it only in memory until the consumer answered; a failed send saves the
 * negotiation without it, and the next attempt (or the restart after a crash) builds another one, with another id,
 * although the consumer may already hold the first. {@link AgreementRecordingDispatcherRegistry} saves the agreement
 * before it is sent; here a later save of the same provider negotiation without an agreement keeps the saved one,
 * so that EDC's {@code processAgreeing}, which reuses an agreement the negotiation holds, sends the same agreement
 * again. Thread-safe when the wrapped store is.
 */
public class AgreementKeepingContractNegotiationStore extends ForwardingContractNegotiationStore {


    public AgreementKeepingContractNegotiationStore(ContractNegotiationStore delegate) {
        super(delegate);
    }

    @Override
    public StoreResult<Void> save(ContractNegotiation negotiation) {
        if (negotiation.getType() == ContractNegotiation.Type.PROVIDER && negotiation.getContractAgreement() == null) {
            var saved = delegate.findById(negotiation.getId());
            if (saved != null && saved.getContractAgreement() != null) {
                negotiation.setContractAgreement(saved.getContractAgreement());
            }
        }
        return delegate.save(negotiation);
    }
}
