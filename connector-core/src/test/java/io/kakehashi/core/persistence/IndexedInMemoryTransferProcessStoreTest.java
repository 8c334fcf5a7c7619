package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.transfer.spi.testfixtures.store.TransferProcessStoreTestBase;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;

import java.time.Duration;

/** EDC 0.15.1's own contract tests of a transfer process store, run against {@link IndexedInMemoryTransferProcessStore}. */
class IndexedInMemoryTransferProcessStoreTest extends TransferProcessStoreTestBase {

    private final IndexedInMemoryTransferProcessStore store = new IndexedInMemoryTransferProcessStore(CONNECTOR_NAME, clock, CriterionOperatorRegistryImpl.ofDefaults());

    @Override
    protected TransferProcessStore getTransferProcessStore() {
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
