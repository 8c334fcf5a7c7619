package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.contract.spi.testfixtures.negotiation.store.ContractNegotiationStoreTestBase;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;

import java.time.Duration;

/** EDC 0.15.1's own contract tests of a contract negotiation store, run against {@link IndexedInMemoryContractNegotiationStore}. */
class IndexedInMemoryContractNegotiationStoreTest extends ContractNegotiationStoreTestBase {

    private final IndexedInMemoryContractNegotiationStore store = new IndexedInMemoryContractNegotiationStore(CONNECTOR_NAME, clock, CriterionOperatorRegistryImpl.ofDefaults());

    @Override
    protected ContractNegotiationStore getContractNegotiationStore() {
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
