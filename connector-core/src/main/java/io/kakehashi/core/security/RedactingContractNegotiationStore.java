package io.kakehashi.core.security;

import io.kakehashi.core.persistence.ForwardingContractNegotiationStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.spi.result.StoreResult;


/**
 * EDC's contract-negotiation store with each negotiation's error detail redacted ({@link SecretRedactor}) as it is
 * saved, on the negotiation itself, so neither the store nor the termination message sent from it holds a secret.
 *
 * Thread-safe when the wrapped store is.
 */
public class RedactingContractNegotiationStore extends ForwardingContractNegotiationStore {

    private final SecretRedactor redactor;
    private final TerminationReasons reasons;

    public RedactingContractNegotiationStore(ContractNegotiationStore delegate, SecretRedactor redactor) {
        this(delegate, redactor, new TerminationReasons());
    }

    public RedactingContractNegotiationStore(ContractNegotiationStore delegate, SecretRedactor redactor, TerminationReasons reasons) {
        super(delegate);
        this.redactor = redactor;
        this.reasons = reasons;
    }

    @Override
    public StoreResult<Void> save(ContractNegotiation negotiation) {
        reasons.apply(negotiation, ContractNegotiationStates.TERMINATED.code());
        ErrorDetails.redact(negotiation, redactor);
        return delegate.save(negotiation);
    }
}
