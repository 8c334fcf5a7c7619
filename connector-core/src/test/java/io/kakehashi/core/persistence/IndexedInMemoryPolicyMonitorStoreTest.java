package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.policy.monitor.spi.testfixtures.store.PolicyMonitorStoreTestBase;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorStore;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;

import java.time.Clock;
import java.time.Duration;

/** EDC 0.15.1's own contract tests of a policy monitor store, run against {@link IndexedInMemoryPolicyMonitorStore}. */
class IndexedInMemoryPolicyMonitorStoreTest extends PolicyMonitorStoreTestBase {

    private final IndexedInMemoryPolicyMonitorStore store = new IndexedInMemoryPolicyMonitorStore(CONNECTOR_NAME, Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());

    @Override
    protected PolicyMonitorStore getStore() {
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
