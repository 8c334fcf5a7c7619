package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;
import org.jetbrains.annotations.Nullable;

import java.time.Clock;
import java.util.Objects;
import java.util.stream.Stream;

/** The embedded default's transfer processes, indexed by state ({@link IndexedInMemoryStateStore}). */
public final class IndexedInMemoryTransferProcessStore extends IndexedInMemoryStateStore<TransferProcess> implements TransferProcessStore {

    public IndexedInMemoryTransferProcessStore(String leaseHolder, Clock clock, CriterionOperatorRegistry criterionOperatorRegistry) {
        super(TransferProcess.class, leaseHolder, clock, criterionOperatorRegistry, state -> TransferProcessStates.valueOf(state).code());
    }

    @Override
    public @Nullable TransferProcess findForCorrelationId(String correlationId) {
        return findFirst(process -> Objects.equals(correlationId, process.getCorrelationId())).orElse(null);
    }

    @Override
    public StoreResult<Void> delete(String processId) {
        return remove(processId);
    }

    @Override
    public Stream<TransferProcess> findAll(QuerySpec querySpec) {
        return query(querySpec);
    }
}
