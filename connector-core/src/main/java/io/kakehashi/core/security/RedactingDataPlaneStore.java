package io.kakehashi.core.security;

import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.StoreResult;

import java.time.Duration;
import java.util.List;

/**
 * EDC's data-flow store with each flow's error detail redacted ({@link SecretRedactor}) as it is saved, on the flow
 * itself, before the data plane reports it to the control plane. Leases hand out the entity as stored once the lease is held ({@link LeasedAfresh}).
 * Thread-safe when the wrapped store is.
 */
public class RedactingDataPlaneStore implements DataPlaneStore {

    /** How long a lease taken by id waits for this connector's own state machine to let go (see {@link LeasedAfresh}). */
    static final Duration LEASE_PATIENCE = Duration.ofSeconds(2);

    private final DataPlaneStore delegate;
    private final SecretRedactor redactor;

    public RedactingDataPlaneStore(DataPlaneStore delegate, SecretRedactor redactor) {
        this.delegate = delegate;
        this.redactor = redactor;
    }

    @Override
    public StoreResult<Void> save(DataFlow flow) {
        ErrorDetails.redact(flow, redactor);
        return delegate.save(flow);
    }

    @Override
    public DataFlow findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public List<DataFlow> nextNotLeased(int max, Criterion... criteria) {
        return LeasedAfresh.nextNotLeased(delegate, max, criteria);
    }

    @Override
    public StoreResult<DataFlow> findByIdAndLease(String id) {
        return LeasedAfresh.findByIdAndLease(delegate, id, LEASE_PATIENCE);
    }
}
