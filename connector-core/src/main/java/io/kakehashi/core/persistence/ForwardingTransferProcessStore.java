package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A transfer-process store that hands every call to another; a decorator extends it and overrides only what it
 * changes. Thread-safe when the delegate is.
 */
public abstract class ForwardingTransferProcessStore implements TransferProcessStore {

    protected final TransferProcessStore delegate;

    protected ForwardingTransferProcessStore(TransferProcessStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public StoreResult<Void> save(TransferProcess process) {
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
        return delegate.nextNotLeased(max, criteria);
    }

    @Override
    public StoreResult<TransferProcess> findByIdAndLease(String id) {
        return delegate.findByIdAndLease(id);
    }
}
