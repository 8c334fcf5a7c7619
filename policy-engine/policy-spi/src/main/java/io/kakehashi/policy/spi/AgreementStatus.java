package io.kakehashi.policy.spi;

import org.eclipse.edc.spi.result.Result;

/**
 * Whether a contract agreement may still be used: to request or run a transfer, to open or continue a gRPC stream,
 * to submit a compute job. It is the one owner of that rule (docs/decisions/0019); every place that acts on an
 * agreement asks it instead of reading the negotiation store itself. An agreement is usable while the negotiation
 * that made it has not been terminated. Implementations are thread-safe.
 */
@FunctionalInterface
public interface AgreementStatus {

    /**
     * @param agreementId this connector's id of the agreement ({@code ContractAgreement#getId()}, the contract id a
     *                    transfer process carries)
     * @return success when the agreement may be used; otherwise a failure whose detail says why, in words that may be
     *         shown to the counterparty (it names the agreement and the negotiation's state, nothing else)
     */
    Result<Void> usable(String agreementId);
}
