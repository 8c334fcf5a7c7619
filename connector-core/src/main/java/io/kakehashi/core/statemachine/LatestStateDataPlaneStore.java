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
 * taken by id waits up to {@link #LEASE_PATIENCE} while another writer holds it, so that the end of a transfer is never
 * dropped because the flow-lease renewal held the lease at that instant. Unlike the transfer-process and negotiation
 * stores it does not keep this runtime's writers apart ({@link StateMachineLeases}): the control plane starts, suspends
 * and resumes flows from its own state machine's thread, and a start refused there ends the transfer (the DSP TCK's
 * TP:01-04 failed once at load 15, a resumed flow's start fatal, while this store kept them apart). A flow saved in a
 * state other than STARTED (received, completed, failed, terminated) is work for the data plane's state machine, which
 * is woken ({@code stateChanged}): EDC publishes no event for a flow whose
 * transfer ended, and its completion waited for the next idle iteration to be told to the control plane (1.9 s of a
 * federated round in the sample). STARTED saves are the renewals of running flows, twice a second each, and wake
 * nothing.
 * <p>
 * Thread-safe when the delegate is.
 */
public class LatestStateDataPlaneStore extends ForwardingDataPlaneStore {

    /** How long a lease taken by id waits while another writer (the flow-lease renewal, another replica) holds it. */
    static final Duration LEASE_PATIENCE = Duration.ofSeconds(2);

    private final Runnable stateChanged;

    public LatestStateDataPlaneStore(DataPlaneStore delegate, Runnable stateChanged) {
        super(delegate);
        this.stateChanged = stateChanged;
    }

    @Override
    public StoreResult<Void> save(DataFlow flow) {
        var saved = delegate.save(flow);
        if (saved.succeeded() && flow.getState() != DataFlowStates.STARTED.code()) {
            stateChanged.run();
        }
        return saved;
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
