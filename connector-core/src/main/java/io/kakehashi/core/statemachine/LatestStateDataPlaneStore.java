package io.kakehashi.core.statemachine;

import io.kakehashi.core.persistence.ForwardingDataPlaneStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.StoreResult;

import java.time.Duration;
import java.util.List;

/**
 * EDC's data-flow store whose leases hand out what is stored once they are held ({@link LeasedAfresh}); a lease
 * taken by id waits up to {@link #LEASE_PATIENCE} for this connector's own state machine to let go, so that the end
 * of a transfer is never dropped because the flow-lease renewal held the lease at that instant.
 * <p>
 * Thread-safe when the delegate is.
 */
public class LatestStateDataPlaneStore extends ForwardingDataPlaneStore {

    /** How long a lease taken by id waits for this connector's own state machine to let go. */
    static final Duration LEASE_PATIENCE = Duration.ofSeconds(2);

    public LatestStateDataPlaneStore(DataPlaneStore delegate) {
        super(delegate);
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
