package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.spi.ComputeJobCounter;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts compute jobs per agreement in memory: the default {@link ComputeJobCounter}, so counts are lost on restart.
 * The component that runs jobs calls {@link #jobAdmitted(String)} for every job the policy admitted. Thread-safe.
 */
public final class InMemoryComputeJobCounter implements ComputeJobCounter {

    private final ConcurrentMap<String, AtomicLong> jobs = new ConcurrentHashMap<>();

    @Override
    public long jobsSoFar(ContractAgreement agreement) {
        var count = jobs.get(agreement.getId());
        return count == null ? 0 : count.get();
    }

    /** Records one more job under the agreement with this id. */
    public void jobAdmitted(String agreementId) {
        jobs.computeIfAbsent(agreementId, id -> new AtomicLong()).incrementAndGet();
    }
}
