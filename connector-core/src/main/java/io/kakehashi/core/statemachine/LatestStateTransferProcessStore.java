package io.kakehashi.core.statemachine;

import io.kakehashi.core.persistence.ForwardingTransferProcessStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;

/**
 * EDC's transfer-process store with the rules of {@link LatestStateContractNegotiationStore}: a copy older than the
 * stored state is not saved back over it (a guard's copy of PROVISIONED over a TERMINATED transfer), a pending hold
 * that a save carries into another state is released, a lease hands out what is stored once it is held, a lease taken
 * by id to apply a peer's message and not saved is let go afterwards, and a saved
 * change of state wakes the transfer state machines — a finished pull sets its process COMPLETING, for which EDC
 * publishes no event, and the process waited for the next idle iteration to be completed (1.8 s of a 4.3 s sample
 * transfer).
 * <p>
 * Thread-safe when the delegate is.
 */
public class LatestStateTransferProcessStore extends ForwardingTransferProcessStore {


    private final StaleSaves<TransferProcess> saves;

    public LatestStateTransferProcessStore(TransferProcessStore delegate, Monitor monitor, Runnable stateChanged) {
        super(delegate);
        this.saves = new StaleSaves<>("transfer process", delegate::findById, delegate::save, stateChanged, monitor);
    }

    @Override
    public StoreResult<Void> save(TransferProcess process) {
        return saves.save(process);
    }

    @Override
    public List<TransferProcess> nextNotLeased(int max, Criterion... criteria) {
        return saves.heldByStateMachine(LeasedAfresh.nextNotLeased(delegate, max, criteria));
    }

    @Override
    public StoreResult<TransferProcess> findByIdAndLease(String id) {
        return saves.leasedById(id, () -> LeasedAfresh.findByIdAndLease(delegate, id));
    }
}
