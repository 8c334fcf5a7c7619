package io.kakehashi.core.security;

import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.stream.Stream;

/**
 * EDC's transfer-process store with each process's error detail redacted ({@link SecretRedactor}) as it is saved, on
 * the process itself: the store never holds a secret, and neither does the {@code TransferTerminationMessage} the
 * state machine builds from that process's error detail for the peer. Leases hand out the entity as stored once the lease is held ({@link LeasedAfresh}).
 * Thread-safe when the wrapped store is.
 */
public class RedactingTransferProcessStore implements TransferProcessStore {

    private final TransferProcessStore delegate;
    private final SecretRedactor redactor;
    private final TerminationReasons reasons;

    public RedactingTransferProcessStore(TransferProcessStore delegate, SecretRedactor redactor) {
        this(delegate, redactor, new TerminationReasons());
    }

    public RedactingTransferProcessStore(TransferProcessStore delegate, SecretRedactor redactor, TerminationReasons reasons) {
        this.delegate = delegate;
        this.redactor = redactor;
        this.reasons = reasons;
    }

    @Override
    public StoreResult<Void> save(TransferProcess process) {
        reasons.apply(process, TransferProcessStates.TERMINATING_REQUESTED.code());
        ErrorDetails.redact(process, redactor);
        return delegate.save(process);
    }

    @Override
    public TransferProcess findForCorrelationId(String correlationId) {
        return delegate.findForCorrelationId(correlationId);
    }

    @Override
    public StoreResult<Void> delete(String id) {
        return delegate.delete(id);
    }

    @Override
    public Stream<TransferProcess> findAll(QuerySpec querySpec) {
        return delegate.findAll(querySpec);
    }

    @Override
    public TransferProcess findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public List<TransferProcess> nextNotLeased(int max, Criterion... criteria) {
        return LeasedAfresh.nextNotLeased(delegate, max, criteria);
    }

    @Override
    public StoreResult<TransferProcess> findByIdAndLease(String id) {
        return LeasedAfresh.findByIdAndLease(delegate, id);
    }
}
