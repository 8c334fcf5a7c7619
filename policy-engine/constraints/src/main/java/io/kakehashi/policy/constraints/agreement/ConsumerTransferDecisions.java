package io.kakehashi.policy.constraints.agreement;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Records the consumer's decision to request a transfer under an agreement in the decision log: scope
 * {@code transfer.process}, the provider the agreement names as counterparty, the agreement and its asset, PERMIT or
 * DENY with {@link AgreementStatus}'s reason (constraint {@value #CONSTRAINT}). A decision that cannot be recorded
 * throws, so the request is refused with a server error rather than acted on unseen. Thread-safe.
 */
public final class ConsumerTransferDecisions {

    static final String CONSTRAINT = "usableAgreement";
    static final String UNKNOWN_COUNTERPARTY = "unknown";

    private final DecisionRecorder recorder;
    private final ContractNegotiationStore negotiations;
    private final TransactionContext transactions;
    private final Clock clock;

    public ConsumerTransferDecisions(DecisionRecorder recorder, ContractNegotiationStore negotiations, TransactionContext transactions, Clock clock) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.negotiations = Objects.requireNonNull(negotiations, "negotiations");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param agreementId the agreement the transfer is requested under
     * @param usable      what {@link AgreementStatus} answered for it
     * @throws EdcException when the decision could not be recorded
     */
    void record(String agreementId, Result<Void> usable) {
        var agreement = transactions.execute(() -> negotiations.findContractAgreement(agreementId));
        var outcome = usable.succeeded() ? DecisionOutcome.PERMIT : DecisionOutcome.DENY;
        var reason = usable.succeeded() ? "agreement %s may be used".formatted(agreementId) : usable.getFailureDetail();
        var entry = DecisionEntry.builder()
                .time(clock.instant())
                .scope(DecisionScope.TRANSFER_PROCESS)
                .counterpartyId(agreement != null && agreement.getProviderId() != null ? agreement.getProviderId() : UNKNOWN_COUNTERPARTY)
                // an agreement it holds by the DSP id both sides share; an id it does not hold, as the request gave it
                .agreement(agreement == null ? null : agreement.getAgreementId(), agreementId)
                .assetId(agreement == null ? null : agreement.getAssetId())
                .outcome(outcome)
                .reasons(List.of(new ConstraintReason(CONSTRAINT, outcome, reason)))
                .build();
        var recorded = recorder.record(entry);
        if (recorded.failed()) {
            throw new EdcException(DecisionRecorder.NOT_RECORDED);
        }
    }
}
