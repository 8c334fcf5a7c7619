package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.ResultReleases;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.time.Clock;

/**
 * Records each compute job's result release (or refusal) in the decision log, when the connector has one: it
 * provides {@link ResultReleases} over the decision log's {@link DecisionRecorder}; without a decision log it
 * provides nothing and the job service records no release.
 */
@Extension(ComputeResultLogExtension.NAME)
public class ComputeResultLogExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute result releases in the decision log";

    @Inject(required = false)
    private DecisionRecorder recorder;
    @Inject
    private ContractNegotiationStore agreements;
    @Inject
    private TransactionContext transactions;
    @Inject
    private Clock clock;

    @Override
    public String name() {
        return NAME;
    }

    @Provider
    public ResultReleases resultReleases() {
        return recorder == null ? ResultReleases.NONE : new DecisionLogResultReleases(recorder,
                id -> transactions.execute(() -> agreements.findContractAgreement(id)), clock);
    }
}
