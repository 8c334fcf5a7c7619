package io.kakehashi.policy.spi;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

/**
 * How many compute jobs have been admitted under an agreement before the one being decided. The AI extension backs
 * it with its durable job store; {@link InMemoryComputeJobCounter} is the default until then. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface ComputeJobCounter {

    long jobsSoFar(ContractAgreement agreement);
}
