package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorEntry;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorEntryStates;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorStore;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;

import java.time.Clock;

/** The policy monitor's entries, one per started transfer, indexed by state ({@link IndexedInMemoryStateStore}). */
public final class IndexedInMemoryPolicyMonitorStore extends IndexedInMemoryStateStore<PolicyMonitorEntry> implements PolicyMonitorStore {

    public IndexedInMemoryPolicyMonitorStore(String leaseHolder, Clock clock, CriterionOperatorRegistry criterionOperatorRegistry) {
        super(PolicyMonitorEntry.class, leaseHolder, clock, criterionOperatorRegistry, state -> PolicyMonitorEntryStates.valueOf(state).code());
    }
}
