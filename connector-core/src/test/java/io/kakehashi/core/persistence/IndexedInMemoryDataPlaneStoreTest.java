package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.dataplane.spi.testfixtures.store.DataPlaneStoreTestBase;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;

import java.time.Clock;
import java.time.Duration;

/** EDC 0.15.1's own contract tests of a data flow store, run against {@link IndexedInMemoryDataPlaneStore}. */
class IndexedInMemoryDataPlaneStoreTest extends DataPlaneStoreTestBase {

    private final IndexedInMemoryDataPlaneStore store = new IndexedInMemoryDataPlaneStore(CONNECTOR_NAME, Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());

    @Override
    protected DataPlaneStore getStore() {
        return store;
    }

    @Override
    protected void leaseEntity(String entityId, String owner, Duration duration) {
        store.acquireLease(entityId, owner, duration);
    }

    @Override
    protected boolean isLeasedBy(String entityId, String owner) {
        return store.isLeasedBy(entityId, owner);
    }
}
