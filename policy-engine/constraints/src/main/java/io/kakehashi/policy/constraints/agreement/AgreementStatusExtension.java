package io.kakehashi.policy.constraints.agreement;

import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.spi.AgreementStatus;
import io.kakehashi.policy.spi.ComputePolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorContext;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;

import java.time.Clock;

/**
 * Provides {@link AgreementStatus} (from the negotiation store) and makes every policy evaluation of an agreement
 * ask it first: the provider's transfer request ({@code transfer.process}, which EDC evaluates for a DSP transfer
 * request), a compute job ({@code compute}) and the policy monitor's re-checks of running transfers
 * ({@code policy.monitor}, which terminates them). On the consumer's side the management API refuses a transfer
 * request under such an agreement ({@link UsableAgreementTransferRequest}), and the decision log, when the runtime
 * has one, records that decision either way ({@link ConsumerTransferDecisions}). See docs/decisions/0019 and 0021.
 */
@Extension(AgreementStatusExtension.NAME)
@Provides(AgreementStatus.class)
public class AgreementStatusExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi agreement status";

    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private TransactionContext transactions;
    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private JsonObjectValidatorRegistry validators;
    @Inject(required = false)
    private DecisionRecorder recorder;
    @Inject
    private Clock clock;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var status = new NegotiationAgreementStatus(negotiations, transactions);
        context.registerService(AgreementStatus.class, status);
        register(policyEngine, status);
        var decisions = recorder == null ? null : new ConsumerTransferDecisions(recorder, negotiations, transactions, clock);
        validators.register(TransferRequest.TRANSFER_REQUEST_TYPE, new UsableAgreementTransferRequest(status, decisions));
    }

    /** Puts the {@link UsableAgreementRule} in front of every scope that evaluates an agreement's policy. */
    static void register(PolicyEngine engine, AgreementStatus status) {
        engine.registerPreValidator(TransferProcessPolicyContext.class, new UsableAgreementRule<>(status));
        engine.registerPreValidator(ComputePolicyContext.class, new UsableAgreementRule<>(status));
        engine.registerPreValidator(PolicyMonitorContext.class, new UsableAgreementRule<>(status));
    }
}
