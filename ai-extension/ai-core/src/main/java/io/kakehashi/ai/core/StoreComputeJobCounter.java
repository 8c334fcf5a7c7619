package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.policy.spi.ComputeJobCounter;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

/**
 * Counts the jobs the policy admitted under an agreement from the job store, so {@code compute.jobCount} is as
 * durable as the store. Two jobs decided at the same instant can both pass: the count is not a lock. Thread-safe.
 */
public final class StoreComputeJobCounter implements ComputeJobCounter {

    private final ComputeJobStore store;

    public StoreComputeJobCounter(ComputeJobStore store) {
        this.store = store;
    }

    @Override
    public long jobsSoFar(ContractAgreement agreement) {
        return store.countAdmitted(agreement.getId());
    }
}
