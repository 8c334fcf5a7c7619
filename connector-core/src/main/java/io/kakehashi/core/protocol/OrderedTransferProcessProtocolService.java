package io.kakehashi.core.protocol;

import io.kakehashi.core.persistence.UnsavedLeases;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessProtocolService;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferCompletionMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferProcessRequestMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferRequestMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferStartMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferSuspensionMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferTerminationMessage;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.message.ProcessRemoteMessage;
import org.jetbrains.annotations.NotNull;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess.Type.CONSUMER;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess.Type.PROVIDER;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.COMPLETED;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.COMPLETING;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.COMPLETING_REQUESTED;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.REQUESTING;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.RESUMING;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.STARTING;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.SUSPENDING;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.TERMINATED;

/**
 * EDC's transfer-process protocol service, made safe against the order in which a peer's messages meet this
 * connector's own saves, as {@link OrderedContractNegotiationProtocolService} is for negotiations:
 * <ul>
 *   <li><b>early</b>: the start reaching a consumer still REQUESTING (the provider started before the consumer saved
 *   REQUESTED) or still RESUMING; a completion or a suspension reaching a provider still STARTING or RESUMING (the
 *   consumer finished before the provider saved STARTED); a consumer's resumption (a start) reaching a provider still
 *   SUSPENDING: waits until the state is left, then EDC handles it; still unsaved after the bound, {@code 503};</li>
 *   <li><b>already applied</b>: a completion at a process COMPLETING_REQUESTED or COMPLETED, a termination at a
 *   TERMINATED one, a start at a consumer that already completed (COMPLETING, COMPLETING_REQUESTED, COMPLETED):
 *   answered as a success with nothing changed, after EDC's check of the sender;</li>
 *   <li>everything else goes to EDC as it is (EDC already takes a repeated start at a STARTED consumer and a repeated
 *   request for a consumer process it knows).</li>
 * </ul>
 * A message sent again with the token it was first sent with is verified again rather than refused as a replay
 * ({@link RepeatedMessages}), and a lease EDC's handling took and left unsaved is let go ({@link UnsavedLeases}).
 * Thread-safe when the delegate and the store are.
 */
public class OrderedTransferProcessProtocolService implements TransferProcessProtocolService {

    private final TransferProcessProtocolService delegate;
    private final TransferProcessStore store;
    private final PendingTransitions pending;
    private final Monitor monitor;
    private final Consumer<TokenRepresentation> releaseForRetry;
    private final RepeatedMessages repeats;

    public OrderedTransferProcessProtocolService(TransferProcessProtocolService delegate, TransferProcessStore store, PendingTransitions pending,
                                                 Monitor monitor) {
        this(delegate, store, pending, monitor, token -> { });
    }

    /**
     * @param releaseForRetry forgets the token of a message answered {@link PeerRetryLater} after its sender was checked,
     *                        so that the peer's retry with the same token is not refused as a replay ({@link RetriedTokenRelease})
     */
    public OrderedTransferProcessProtocolService(TransferProcessProtocolService delegate, TransferProcessStore store, PendingTransitions pending,
                                                 Monitor monitor, Consumer<TokenRepresentation> releaseForRetry) {
        this(delegate, store, pending, monitor, releaseForRetry, RepeatedMessages.NONE);
    }

    /**
     * @param repeats recognises a message sent again with its first token, which is then verified again instead of
     *                refused as a replay ({@link RepeatedMessages})
     */
    public OrderedTransferProcessProtocolService(TransferProcessProtocolService delegate, TransferProcessStore store, PendingTransitions pending,
                                                 Monitor monitor, Consumer<TokenRepresentation> releaseForRetry, RepeatedMessages repeats) {
        this.repeats = repeats;
        this.delegate = delegate;
        this.store = store;
        this.pending = pending;
        this.monitor = monitor;
        this.releaseForRetry = releaseForRetry;
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyRequested(ParticipantContext participantContext, TransferRequestMessage message,
                                                                  TokenRepresentation tokenRepresentation) {
        return repeats.handle(message, tokenRepresentation, () -> UnsavedLeases.letGoAfter(
                () -> delegate.notifyRequested(participantContext, message, tokenRepresentation)));
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyStarted(ParticipantContext participantContext, TransferStartMessage message,
                                                                TokenRepresentation tokenRepresentation) {
        return ordered(participantContext, message, tokenRepresentation, process -> switch (process.getType()) {
            case CONSUMER -> is(process, REQUESTING, RESUMING);
            case PROVIDER -> is(process, SUSPENDING);
            // a provider that sends its start again after the consumer finished its side (a start whose answer the
            // provider did not get, sent anew when it takes STARTING up again): EDC's 409 would terminate the
            // provider's transfer after the data arrived; the consumer already took the step and beyond
        }, process -> process.getType() == CONSUMER && is(process, COMPLETING, COMPLETING_REQUESTED, COMPLETED),
                () -> delegate.notifyStarted(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyCompleted(ParticipantContext participantContext, TransferCompletionMessage message,
                                                                  TokenRepresentation tokenRepresentation) {
        return ordered(participantContext, message, tokenRepresentation,
                process -> process.getType() == PROVIDER && is(process, STARTING, RESUMING),
                process -> is(process, COMPLETING_REQUESTED, COMPLETED),
                () -> delegate.notifyCompleted(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifySuspended(ParticipantContext participantContext, TransferSuspensionMessage message,
                                                                  TokenRepresentation tokenRepresentation) {
        return ordered(participantContext, message, tokenRepresentation,
                process -> process.getType() == PROVIDER && is(process, STARTING, RESUMING),
                process -> false,
                () -> delegate.notifySuspended(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> notifyTerminated(ParticipantContext participantContext, TransferTerminationMessage message,
                                                                   TokenRepresentation tokenRepresentation) {
        return ordered(participantContext, message, tokenRepresentation, process -> false, process -> is(process, TERMINATED),
                () -> delegate.notifyTerminated(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<TransferProcess> findById(ParticipantContext participantContext, TransferProcessRequestMessage message,
                                                           TokenRepresentation tokenRepresentation) {
        return delegate.findById(participantContext, message, tokenRepresentation);
    }

    private ServiceResult<TransferProcess> ordered(ParticipantContext participantContext, ProcessRemoteMessage message, TokenRepresentation token,
                                                   Predicate<TransferProcess> early,
                                                   Predicate<TransferProcess> alreadyApplied,
                                                   Supplier<ServiceResult<TransferProcess>> handling) {
        return repeats.handle(message, token, () -> inOrder(participantContext, message, token, early, alreadyApplied, handling));
    }

    private ServiceResult<TransferProcess> inOrder(ParticipantContext participantContext, ProcessRemoteMessage message, TokenRepresentation token,
                                                   Predicate<TransferProcess> early,
                                                   Predicate<TransferProcess> alreadyApplied,
                                                   Supplier<ServiceResult<TransferProcess>> handling) {
        var processId = message.getProcessId();
        if (processId == null) {
            return UnsavedLeases.letGoAfter(handling);
        }
        var process = store.findById(processId);
        if (process == null) {
            return handled(message, token, handling);
        }
        var type = message.getClass().getSimpleName();
        if (early.test(process)) {
            var before = stateOf(process);
            process = pending.awaitLeft(() -> store.findById(processId), early);
            if (process != null && early.test(process)) {
                var sender = checkSender(participantContext, message, processId, token);
                if (sender.failed()) {
                    return sender;
                }
                monitor.debug(() -> "%s for transfer %s arrived while it is still %s after %s: the peer is asked to retry"
                        .formatted(type, processId, before, pending.bound()));
                releaseForRetry.accept(token);
                throw new PeerRetryLater(type, PendingTransitions.POLL);
            }
            var after = process == null ? "gone" : stateOf(process).name();
            monitor.debug(() -> "%s for transfer %s arrived while it was %s; handled once it was %s".formatted(type, processId, before, after));
        }
        if (process != null && alreadyApplied.test(process)) {
            var sender = checkSender(participantContext, message, processId, token);
            if (sender.succeeded()) {
                var state = stateOf(sender.getContent());
                monitor.debug(() -> "%s for transfer %s repeats a step it already took (%s): answered without a change".formatted(type, processId, state));
            }
            return sender;
        }
        return handled(message, token, handling);
    }

    /** EDC's handling, tried while another writer holds the lease, then the peer asked to retry ({@link PendingTransitions#handleOnceLetGo}). */
    private ServiceResult<TransferProcess> handled(ProcessRemoteMessage message, TokenRepresentation token,
                                                   Supplier<ServiceResult<TransferProcess>> handling) {
        return pending.handleOnceLetGo(message.getClass().getSimpleName(), handling, () -> releaseForRetry.accept(token));
    }

    /** EDC's own check that the sender may read the process: the token, the agreement's policy, the counterparty. */
    private ServiceResult<TransferProcess> checkSender(ParticipantContext participantContext, ProcessRemoteMessage message, String processId,
                                                      TokenRepresentation token) {
        var request = TransferProcessRequestMessage.Builder.newInstance()
                .transferProcessId(processId)
                .protocol(message.getProtocol())
                .counterPartyAddress(message.getCounterPartyAddress())
                .build();
        return delegate.findById(participantContext, request, token);
    }

    private static boolean is(TransferProcess process, TransferProcessStates... states) {
        var state = process.getState();
        for (var candidate : states) {
            if (candidate.code() == state) {
                return true;
            }
        }
        return false;
    }

    private static TransferProcessStates stateOf(TransferProcess process) {
        return TransferProcessStates.from(process.getState());
    }

}
