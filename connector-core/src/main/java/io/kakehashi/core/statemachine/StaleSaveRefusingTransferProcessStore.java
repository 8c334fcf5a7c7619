package io.kakehashi.core.statemachine;

import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.stream.Stream;

/**
 * EDC's transfer-process store with the save rules of {@link StaleSaveRefusingContractNegotiationStore}: a copy older
 * than the stored state is not saved back over it (a guard's copy of PROVISIONED over a TERMINATED transfer), and a
 * pending hold that a save carries into another state is released.
 * <p>
 * Thread-safe when the delegate is.
 */
public class StaleSaveRefusingTransferProcessStore implements TransferProcessStore {

    private final TransferProcessStore delegate;
    private final StaleSaves<TransferProcess> saves;

    public StaleSaveRefusingTransferProcessStore(TransferProcessStore delegate, Monitor monitor) {
        this.delegate = delegate;
        this.saves = new StaleSaves<>("transfer process", delegate::findById, delegate::save, monitor);
    }

    @Override
    public StoreResult<Void> save(TransferProcess process) {
        return saves.save(process);
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
