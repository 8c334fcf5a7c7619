package io.kakehashi.core.security;

import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.stream.Stream;

/**
 * EDC's contract-negotiation store with each negotiation's error detail redacted ({@link SecretRedactor}) as it is
 * saved, on the negotiation itself, so neither the store nor the termination message sent from it holds a secret.
 * Leases hand out the entity as stored once the lease is held ({@link LeasedAfresh}).
 * Thread-safe when the wrapped store is.
 */
public class RedactingContractNegotiationStore implements ContractNegotiationStore {

    private final ContractNegotiationStore delegate;
    private final SecretRedactor redactor;
    private final TerminationReasons reasons;

    public RedactingContractNegotiationStore(ContractNegotiationStore delegate, SecretRedactor redactor) {
        this(delegate, redactor, new TerminationReasons());
    }

    public RedactingContractNegotiationStore(ContractNegotiationStore delegate, SecretRedactor redactor, TerminationReasons reasons) {
        this.delegate = delegate;
        this.redactor = redactor;
        this.reasons = reasons;
    }

    @Override
    public StoreResult<Void> save(ContractNegotiation negotiation) {
        reasons.apply(negotiation, ContractNegotiationStates.TERMINATED.code());
        ErrorDetails.redact(negotiation, redactor);
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
        return LeasedAfresh.nextNotLeased(delegate, max, criteria);
    }

    @Override
    public StoreResult<ContractNegotiation> findByIdAndLease(String id) {
        return LeasedAfresh.findByIdAndLease(delegate, id);
    }
}
