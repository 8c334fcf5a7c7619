package io.kakehashi.core.statemachine;

import io.kakehashi.core.persistence.ForwardingDataPlaneStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.DataFlowStates;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.StoreResult;

import java.time.Duration;
import java.util.List;

/**
 * EDC's data-flow store whose leases hand out what is stored once they are held ({@link LeasedAfresh}); a lease
 * taken by id waits up to {@link #LEASE_PATIENCE} for this connector's own state machine to let go
 * ({@link StateMachineLeases}), so that the end of a transfer is never dropped because the flow-lease renewal held the
 * lease at that instant. A flow saved in a state other than STARTED (received, completed, failed, terminated) is work
 * for the data plane's state machine, which is woken ({@code stateChanged}): EDC publishes no event for a flow whose
 * transfer ended, and its completion waited for the next idle iteration to be told to the control plane (1.9 s of a
 * federated round in the sample). STARTED saves are the renewals of running flows, twice a second each, and wake
 * nothing.
 * <p>
 * Thread-safe when the delegate is.
 */
public class LatestStateDataPlaneStore extends ForwardingDataPlaneStore {

    /** How long a lease taken by id waits for this connector's own state machine to let go. */
    static final Duration LEASE_PATIENCE = StateMachineLeases.PATIENCE;

    private final Runnable stateChanged;
    private final StateMachineLeases stateMachineLeases = new StateMachineLeases(LEASE_PATIENCE);

    public LatestStateDataPlaneStore(DataPlaneStore delegate, Runnable stateChanged) {
        super(delegate);
        this.stateChanged = stateChanged;
    }

    @Override
    public StoreResult<Void> save(DataFlow flow) {
        var hold = stateMachineLeases.holdOf(flow.getId());
        StoreResult<Void> saved;
        try {
            saved = delegate.save(flow);
        } finally {
            stateMachineLeases.released(flow.getId(), hold);
        }
        if (saved.succeeded() && flow.getState() != DataFlowStates.STARTED.code()) {
            stateChanged.run();
        }
        return saved;
    }

    @Override
    public List<DataFlow> nextNotLeased(int max, Criterion... criteria) {
        var leased = LeasedAfresh.nextNotLeased(delegate, max, criteria);
        stateMachineLeases.leased(leased.stream().map(DataFlow::getId).toList());
        return leased;
    }

    @Override
    public StoreResult<DataFlow> findByIdAndLease(String id) {
        if (!stateMachineLeases.awaitReleased(id)) {
            return LeasedAfresh.stillLeasedFailure(id);
        }
        return LeasedAfresh.findByIdAndLease(delegate, id, LEASE_PATIENCE);
    }
}
