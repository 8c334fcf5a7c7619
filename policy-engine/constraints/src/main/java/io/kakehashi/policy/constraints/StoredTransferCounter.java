package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;

import java.util.List;

/**
 * Counts the transfer processes the connector holds for an agreement, so the count is as durable as the transfer
 * store (PostgreSQL in production) and needs no bookkeeping of its own. A transfer that was terminated does not
 * count; every other one does, whatever its state. Thread-safe as the store is.
 */
public final class StoredTransferCounter implements TransferCounter {

    private final TransferProcessStore store;

    public StoredTransferCounter(TransferProcessStore store) {
        this.store = store;
    }

    @Override
    public long transfersSoFar(ContractAgreement agreement) {
        // a transfer request names the agreement by the id its sender knows; count under both of the agreement's ids
        var ids = agreement.getAgreementId() == null ? List.of(agreement.getId()) : List.of(agreement.getId(), agreement.getAgreementId());
        var query = QuerySpec.Builder.newInstance()
                .filter(Criterion.criterion("contractId", "in", ids))
                .limit(Integer.MAX_VALUE)
                .build();
        try (var transfers = store.findAll(query)) {
            return transfers.filter(transfer -> transfer.getState() != TransferProcessStates.TERMINATED.code()).count();
        }
    }
}
