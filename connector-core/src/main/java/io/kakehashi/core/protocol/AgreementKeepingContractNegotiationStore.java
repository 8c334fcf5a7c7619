package io.kakehashi.core.protocol;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.stream.Stream;

/**
 * EDC's contract-negotiation store, never dropping a provider's agreement once saved. EDC 0.15.1's provider builds
 * the agreement in AGREEING and keeps it only in memory until the consumer answered; a failed send saves the
 * negotiation without it, and the next attempt (or the restart after a crash) builds another one, with another id,
 * although the consumer may already hold the first. {@link AgreementRecordingDispatcherRegistry} saves the agreement
 * before it is sent; here a later save of the same provider negotiation without an agreement keeps the saved one,
 * so that EDC's {@code processAgreeing}, which reuses an agreement the negotiation holds, sends the same agreement
 * again. Thread-safe when the wrapped store is.
 */
public class AgreementKeepingContractNegotiationStore implements ContractNegotiationStore {

    private final ContractNegotiationStore delegate;

    public AgreementKeepingContractNegotiationStore(ContractNegotiationStore delegate) {
        this.delegate = delegate;
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

    @Override
    public ContractAgreement findContractAgreement(String id) {
        return delegate.findContractAgreement(id);
    }

    @Override
    public StoreResult<Void> deleteById(String id) {
        return delegate.deleteById(id);
    }

    @Override
    public Stream<ContractNegotiation> queryNegotiations(QuerySpec querySpec) {
        return delegate.queryNegotiations(querySpec);
    }

    @Override
    public Stream<ContractAgreement> queryAgreements(QuerySpec querySpec) {
        return delegate.queryAgreements(querySpec);
    }

    @Override
    public ContractNegotiation findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public List<ContractNegotiation> nextNotLeased(int max, Criterion... criteria) {
        return delegate.nextNotLeased(max, criteria);
    }

    @Override
    public StoreResult<ContractNegotiation> findByIdAndLease(String id) {
        return delegate.findByIdAndLease(id);
    }
}
