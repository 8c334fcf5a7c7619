package io.kakehashi.policy.constraints.agreement;

import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.util.List;
import java.util.Objects;

import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.TERMINATED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.TERMINATING;

/**
 * Answers {@link AgreementStatus} from the contract negotiation store: an agreement is usable while the negotiation
 * that holds it is neither TERMINATING nor TERMINATED. An agreement that no negotiation holds (an unknown id, or its
 * negotiation deleted) is not usable either. Any other state counts as usable, so that a transfer requested the
 * moment the consumer sees FINALIZED is not refused while the provider still records FINALIZING.
 * Reads the store on every call (no cache), so a termination takes effect on the next use. Thread-safe.
 */
public final class NegotiationAgreementStatus implements AgreementStatus {

    private final ContractNegotiationStore negotiations;
    private final TransactionContext transactions;

    public NegotiationAgreementStatus(ContractNegotiationStore negotiations, TransactionContext transactions) {
        this.negotiations = Objects.requireNonNull(negotiations, "negotiations");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    @Override
    public Result<Void> usable(String agreementId) {
        if (agreementId == null || agreementId.isBlank()) {
            return Result.failure("no agreement named");
        }
        var holding = transactions.execute(() -> holdersOf(agreementId));
        if (holding.isEmpty()) {
            return Result.failure("agreement %s is not known to this connector".formatted(agreementId));
        }
        for (var negotiation : holding) {
            var state = negotiation.getState();
            if (state == TERMINATED.code() || state == TERMINATING.code()) {
                return Result.failure("agreement %s can no longer be used: its contract negotiation was terminated"
                        .formatted(agreementId));
            }
        }
        return Result.success();
    }

    private List<ContractNegotiation> holdersOf(String agreementId) {
        var query = QuerySpec.Builder.newInstance()
                .filter(Criterion.criterion("contractAgreement.id", "=", agreementId))
                .limit(2)
                .build();
        try (var found = negotiations.queryNegotiations(query)) {
            return found.toList();
        }
    }
}
