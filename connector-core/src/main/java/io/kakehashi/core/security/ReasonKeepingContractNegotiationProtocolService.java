package io.kakehashi.core.security;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementVerificationMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractNegotiationEventMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationRequestMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationTerminationMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractOfferMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractRequestMessage;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.ServiceResult;
import org.jetbrains.annotations.NotNull;

/**
 * EDC's contract-negotiation protocol service, keeping the reason of a counterparty's
 * {@code ContractNegotiationTerminationMessage} (its {@code reason}, EDC's {@code rejectionReason}, and its
 * {@code code}): EDC 0.15.1's {@code ContractNegotiationProtocolServiceImpl.terminatedAction} moves the negotiation to
 * TERMINATED without them. Here they become the error detail on EDC's own save of the negotiation
 * ({@link TerminationReasons}). Every other message passes through. Thread-safe when the delegate is.
 */
public class ReasonKeepingContractNegotiationProtocolService implements ContractNegotiationProtocolService {

    private final ContractNegotiationProtocolService delegate;
    private final TerminationReasons reasons;

    public ReasonKeepingContractNegotiationProtocolService(ContractNegotiationProtocolService delegate, TerminationReasons reasons) {
        this.delegate = delegate;
        this.reasons = reasons;
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyTerminated(ParticipantContext participantContext, ContractNegotiationTerminationMessage message,
                                                                       TokenRepresentation tokenRepresentation) {
        var detail = CounterpartyReason.describe(message.getRejectionReason(), message.getCode());
        return reasons.during(message, detail, () -> delegate.notifyTerminated(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyRequested(ParticipantContext participantContext, ContractRequestMessage message,
                                                                      TokenRepresentation tokenRepresentation) {
        return delegate.notifyRequested(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyOffered(ParticipantContext participantContext, ContractOfferMessage message,
                                                                    TokenRepresentation tokenRepresentation) {
        return delegate.notifyOffered(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyAccepted(ParticipantContext participantContext, ContractNegotiationEventMessage message,
                                                                     TokenRepresentation tokenRepresentation) {
        return delegate.notifyAccepted(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyAgreed(ParticipantContext participantContext, ContractAgreementMessage message,
                                                                   TokenRepresentation tokenRepresentation) {
        return delegate.notifyAgreed(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyVerified(ParticipantContext participantContext, ContractAgreementVerificationMessage message,
                                                                     TokenRepresentation tokenRepresentation) {
        return delegate.notifyVerified(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyFinalized(ParticipantContext participantContext, ContractNegotiationEventMessage message,
                                                                      TokenRepresentation tokenRepresentation) {
        return delegate.notifyFinalized(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> findById(ParticipantContext participantContext, ContractNegotiationRequestMessage message,
                                                               TokenRepresentation tokenRepresentation) {
        return delegate.findById(participantContext, message, tokenRepresentation);
    }
}
