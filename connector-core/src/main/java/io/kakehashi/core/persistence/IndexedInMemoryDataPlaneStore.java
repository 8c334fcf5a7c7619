package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.DataFlowStates;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;

import java.time.Clock;

/** The embedded data plane's flows, indexed by state ({@link IndexedInMemoryStateStore}). */
public final class IndexedInMemoryDataPlaneStore extends IndexedInMemoryStateStore<DataFlow> implements DataPlaneStore {

    public IndexedInMemoryDataPlaneStore(String leaseHolder, Clock clock, CriterionOperatorRegistry criterionOperatorRegistry) {
        super(DataFlow.class, leaseHolder, clock, criterionOperatorRegistry, state -> DataFlowStates.valueOf(state).code());
    }
}
