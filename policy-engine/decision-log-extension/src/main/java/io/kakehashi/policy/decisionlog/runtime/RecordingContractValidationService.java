package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ContractValidationService;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatableConsumerOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatedConsumerOffer;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.spi.result.Result;
import org.jetbrains.annotations.NotNull;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * EDC's contract validation service, with the consumer's acceptance of an agreement in the decision log. When a
 * provider sends its agreement, EDC's consumer checks it ({@code validateConfirmed}: the sender is the provider the
 * agreement names, and the agreement's policy is the one of the offer the consumer asked for) outside the policy
 * engine, so the engine's decorator ({@link RecordingPolicyEngine}) never saw it and a consumer's log held none of
 * its own decisions. Each such check is an entry in scope {@code contract.negotiation}: the provider, the agreement
 * and its asset, digests of the agreement's policy and of the provider's claims, PERMIT or DENY with EDC's reason
 * (constraint {@value #CONSTRAINT}). An acceptance that cannot be recorded is refused, as the engine refuses a
 * decision it cannot record. The provider's checks pass through: the engine logs them. Thread-safe.
 */
final class RecordingContractValidationService implements ContractValidationService {

    static final String CONSTRAINT = "agreementMatchesOffer";

    private final ContractValidationService delegate;
    private final DecisionRecorder recorder;
    private final DecisionDigests digests;
    private final Clock clock;

    RecordingContractValidationService(ContractValidationService delegate, DecisionRecorder recorder, DecisionDigests digests, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.digests = Objects.requireNonNull(digests, "digests");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public @NotNull Result<Void> validateConfirmed(ParticipantAgent agent, ContractAgreement agreement, ContractOffer latestOffer) {
        var result = delegate.validateConfirmed(agent, agreement, latestOffer);
        var outcome = result.succeeded() ? DecisionOutcome.PERMIT : DecisionOutcome.DENY;
        var reason = result.succeeded()
                ? "the agreement comes from the provider it names and its policy is the one of the offer requested"
                : result.getFailureDetail();
        var entry = DecisionEntry.builder()
                .time(clock.instant())
                .scope(DecisionScope.CONTRACT_NEGOTIATION)
                .counterpartyId(counterparty(agent, agreement))
                .counterpartyLegalId(DecisionEntryFactory.legalId(agent))
                .agreement(agreement == null ? null : agreement.getAgreementId(), agreement == null ? null : agreement.getId())
                .assetId(agreement == null ? null : agreement.getAssetId())
                .policyHash(agreement == null || agreement.getPolicy() == null ? null : digests.policy(agreement.getPolicy()))
                .claimsDigest(agent == null ? null : digests.claims(agent))
                .outcome(outcome)
                .reasons(List.of(new ConstraintReason(CONSTRAINT, outcome, reason)))
                .build();
        var recorded = recorder.record(entry);
        if (recorded.failed()) {
            return Result.failure(DecisionRecorder.NOT_RECORDED);
        }
        return result;
    }

    private static String counterparty(ParticipantAgent agent, ContractAgreement agreement) {
        if (agent != null && agent.getIdentity() != null) {
            return agent.getIdentity();
        }
        if (agreement != null && agreement.getProviderId() != null) {
            return agreement.getProviderId();
        }
        return DecisionEntryFactory.UNKNOWN_COUNTERPARTY;
    }

    @Override
    public @NotNull Result<ValidatedConsumerOffer> validateInitialOffer(ParticipantAgent agent, ValidatableConsumerOffer consumerOffer) {
        return delegate.validateInitialOffer(agent, consumerOffer);
    }

    @Override
    public @NotNull Result<ContractAgreement> validateAgreement(ParticipantAgent agent, ContractAgreement agreement) {
        return delegate.validateAgreement(agent, agreement);
    }

    @Override
    public @NotNull Result<Void> validateRequest(ParticipantAgent agent, ContractAgreement agreement) {
        return delegate.validateRequest(agent, agreement);
    }

    @Override
    public @NotNull Result<Void> validateRequest(ParticipantAgent agent, ContractNegotiation negotiation) {
        return delegate.validateRequest(agent, negotiation);
    }
}
