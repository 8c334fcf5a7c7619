package io.kakehashi.core.security;

import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessProtocolService;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferCompletionMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferProcessRequestMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferRequestMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferStartMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferSuspensionMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferTerminationMessage;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.ServiceResult;
import org.jetbrains.annotations.NotNull;

/**
 * EDC's transfer-process protocol service, keeping the reason of a counterparty's {@code TransferTerminationMessage}:
 * EDC 0.15.1's {@code TransferProcessProtocolServiceImpl.terminatedAction} moves the process to TERMINATING_REQUESTED
 * without it, so the management API showed a process TERMINATED with no error detail. Here the reason
 * ({@link CounterpartyReason}: bounded, without control characters) becomes the error detail on EDC's own save of the
 * process ({@link TerminationReasons}). Every other message passes through. Thread-safe when the delegate is.
 */
public class ReasonKeepingTransferProcessProtocolService implements TransferProcessProtocolService {

    private final TransferProcessProtocolService delegate;
    private final TerminationReasons reasons;

    public ReasonKeepingTransferProcessProtocolService(TransferProcessProtocolService delegate, TerminationReasons reasons) {
        this.delegate = delegate;
        this.reasons = reasons;
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyTerminated(ParticipantContext participantContext, TransferTerminationMessage message,
                                                                   TokenRepresentation tokenRepresentation) {
        var detail = CounterpartyReason.describe(message.getReason(), message.getCode());
        return reasons.during(message, detail, () -> delegate.notifyTerminated(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyRequested(ParticipantContext participantContext, TransferRequestMessage message,
                                                                  TokenRepresentation tokenRepresentation) {
        return delegate.notifyRequested(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyStarted(ParticipantContext participantContext, TransferStartMessage message,
                                                                TokenRepresentation tokenRepresentation) {
        return delegate.notifyStarted(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyCompleted(ParticipantContext participantContext, TransferCompletionMessage message,
                                                                  TokenRepresentation tokenRepresentation) {
        return delegate.notifyCompleted(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifySuspended(ParticipantContext participantContext, TransferSuspensionMessage message,
                                                                  TokenRepresentation tokenRepresentation) {
        return delegate.notifySuspended(participantContext, message, tokenRepresentation);
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> findById(ParticipantContext participantContext, TransferProcessRequestMessage message,
                                                           TokenRepresentation tokenRepresentation) {
        return delegate.findById(participantContext, message, tokenRepresentation);
    }
}
