package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.Objects;

/**
 * A data-flow store that hands every call to another; a decorator extends it and overrides only what it changes.
 * Thread-safe when the delegate is.
 */
public abstract class ForwardingDataPlaneStore implements DataPlaneStore {

    protected final DataPlaneStore delegate;

    protected ForwardingDataPlaneStore(DataPlaneStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public StoreResult<Void> save(DataFlow flow) {
        return delegate.save(flow);
    }

    @Override
    public DataFlow findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public List<DataFlow> nextNotLeased(int max, Criterion... criteria) {
        return delegate.nextNotLeased(max, criteria);
    }

    @Override
    public StoreResult<DataFlow> findByIdAndLease(String id) {
        return delegate.findByIdAndLease(id);
    }
}
