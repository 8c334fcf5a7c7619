package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

/**
 * How many transfers have been made under an agreement before the one being decided. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface TransferCounter {

    long transfersSoFar(ContractAgreement agreement);
}
