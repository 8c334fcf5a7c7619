package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A contract-negotiation store that hands every call to another; a decorator extends it and overrides only what it
 * changes. Thread-safe when the delegate is.
 */
public abstract class ForwardingContractNegotiationStore implements ContractNegotiationStore {

    protected final ContractNegotiationStore delegate;

    protected ForwardingContractNegotiationStore(ContractNegotiationStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public StoreResult<Void> save(ContractNegotiation negotiation) {
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
