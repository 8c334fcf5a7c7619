package io.kakehashi.core.protocol;

import io.kakehashi.core.persistence.UnsavedLeases;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementVerificationMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractNegotiationEventMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationRequestMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationTerminationMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractOfferMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractRequestMessage;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.message.ProcessRemoteMessage;
import org.jetbrains.annotations.NotNull;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.CONSUMER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.PROVIDER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.ACCEPTING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREEING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.OFFERING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.REQUESTING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.TERMINATED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFIED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFYING;

/**
 * EDC's contract-negotiation protocol service, made safe against the order in which a peer's messages meet this
 * connector's own saves. EDC 0.15.1 saves a "sending" state (REQUESTING, OFFERING, ACCEPTING, AGREEING, VERIFYING),
 * sends, and saves the next state only when the answer is back; a peer that answers fast, or that restarted and sends
 * again, reaches the negotiation in a state EDC refuses the message in ({@code 409}), and the peer then terminates a
 * negotiation in which nothing was wrong. Per message, as a table:
 * <ul>
 *   <li><b>early</b>: the negotiation is in the sending state whose successor accepts the message (an agreement reaching
 *   a consumer still REQUESTING or ACCEPTING; a verification reaching a provider still AGREEING; the finalization
 *   reaching a consumer still VERIFYING; an offer reaching a consumer still REQUESTING; a request or an acceptance
 *   reaching a provider still OFFERING): the message waits until the state is left ({@link PendingTransitions}),
 *   then EDC handles it; still unsaved after the bound, the peer is answered {@code 503} to retry
 *   ({@link PeerRetryLater});</li>
 *   <li><b>already applied</b>: the negotiation already went through the step the message asks for (an agreement
 *   equal in every term to the one held, at a consumer AGREED or later; a verification at a provider VERIFIED or
 *   later; a finalization at a FINALIZED consumer; a termination at a TERMINATED negotiation): answered as a success
 *   with nothing changed, after EDC's own check of the sender (its {@code findById});</li>
 *   <li>everything else, a conflicting message included, goes to EDC as it is.</li>
 * </ul>
 * An initial contract request for a consumer process and asset this connector already negotiates is answered with
 * that negotiation, after EDC's check of the sender, instead of a second one; a message sent again with the token it
 * was first sent with is verified again rather than refused as a replay ({@link RepeatedMessages}); a lease EDC's
 * handling took and left unsaved is let go ({@link UnsavedLeases}).
 * Thread-safe when the delegate and the store are.
 */
public class OrderedContractNegotiationProtocolService implements ContractNegotiationProtocolService {

    private static final Set<ContractNegotiationStates> AGREEMENT_HELD = EnumSet.of(AGREED, VERIFYING, VERIFIED, FINALIZED);
    private static final Set<ContractNegotiationStates> VERIFICATION_APPLIED = EnumSet.of(VERIFIED, FINALIZING, FINALIZED);

    private final ContractNegotiationProtocolService delegate;
    private final ContractNegotiationStore store;
    private final PendingTransitions pending;
    private final BiPredicate<ContractAgreement, ContractAgreement> sameAgreement;
    private final Monitor monitor;
    private final Consumer<TokenRepresentation> releaseForRetry;
    private final RepeatedMessages repeats;

    public OrderedContractNegotiationProtocolService(ContractNegotiationProtocolService delegate, ContractNegotiationStore store,
                                                     PendingTransitions pending, BiPredicate<ContractAgreement, ContractAgreement> sameAgreement,
                                                     Monitor monitor) {
        this(delegate, store, pending, sameAgreement, monitor, token -> { });
    }

    /**
     * @param releaseForRetry forgets the token of a message answered {@link PeerRetryLater} after its sender was checked,
     *                        so that the peer's retry with the same token is not refused as a replay ({@link RetriedTokenRelease})
     */
    public OrderedContractNegotiationProtocolService(ContractNegotiationProtocolService delegate, ContractNegotiationStore store,
                                                     PendingTransitions pending, BiPredicate<ContractAgreement, ContractAgreement> sameAgreement,
                                                     Monitor monitor, Consumer<TokenRepresentation> releaseForRetry) {
        this(delegate, store, pending, sameAgreement, monitor, releaseForRetry, RepeatedMessages.NONE);
    }

    /**
     * @param repeats recognises a message sent again with its first token, which is then verified again instead of
     *                refused as a replay ({@link RepeatedMessages})
     */
    public OrderedContractNegotiationProtocolService(ContractNegotiationProtocolService delegate, ContractNegotiationStore store,
                                                     PendingTransitions pending, BiPredicate<ContractAgreement, ContractAgreement> sameAgreement,
                                                     Monitor monitor, Consumer<TokenRepresentation> releaseForRetry, RepeatedMessages repeats) {
        this.repeats = repeats;
        this.delegate = delegate;
        this.store = store;
        this.pending = pending;
        this.sameAgreement = sameAgreement;
        this.monitor = monitor;
        this.releaseForRetry = releaseForRetry;
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyRequested(ParticipantContext participantContext, ContractRequestMessage message,
                                                                      TokenRepresentation tokenRepresentation) {
        Supplier<ServiceResult<ContractNegotiation>> handling = () -> delegate.notifyRequested(participantContext, message, tokenRepresentation);
        return repeats.handle(message, tokenRepresentation, () -> {
            if (message.getProviderPid() == null) {
                var created = requestedBefore(message);
                if (created != null) {
                    var sender = checkSender(participantContext, message, created.getId(), tokenRepresentation);
                    if (sender.succeeded()) {
                        monitor.debug(() -> "ContractRequestMessage for consumer process %s repeats the request of negotiation %s: answered without a new one"
                                .formatted(message.getConsumerPid(), created.getId()));
                    }
                    return sender;
                }
                return UnsavedLeases.letGoAfter(handling);
            }
            return ordered(participantContext, message, message.getProviderPid(), tokenRepresentation,
                    new Rule(PROVIDER, EnumSet.of(OFFERING), negotiation -> false), handling);
        });
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyOffered(ParticipantContext participantContext, ContractOfferMessage message,
                                                                    TokenRepresentation tokenRepresentation) {
        Supplier<ServiceResult<ContractNegotiation>> handling = () -> delegate.notifyOffered(participantContext, message, tokenRepresentation);
        return repeats.handle(message, tokenRepresentation, () -> message.getConsumerPid() == null
                ? UnsavedLeases.letGoAfter(handling)
                : ordered(participantContext, message, message.getConsumerPid(), tokenRepresentation,
                        new Rule(CONSUMER, EnumSet.of(REQUESTING), negotiation -> false), handling));
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyAccepted(ParticipantContext participantContext, ContractNegotiationEventMessage message,
                                                                     TokenRepresentation tokenRepresentation) {
        return inOrder(participantContext, message, message.getProcessId(), tokenRepresentation,
                new Rule(PROVIDER, EnumSet.of(OFFERING), negotiation -> false),
                () -> delegate.notifyAccepted(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyAgreed(ParticipantContext participantContext, ContractAgreementMessage message,
                                                                   TokenRepresentation tokenRepresentation) {
        return inOrder(participantContext, message, message.getProcessId(), tokenRepresentation,
                new Rule(CONSUMER, EnumSet.of(REQUESTING, ACCEPTING),
                        negotiation -> AGREEMENT_HELD.contains(stateOf(negotiation)) && negotiation.getContractAgreement() != null
                                && message.getContractAgreement() != null
                                && sameAgreement.test(negotiation.getContractAgreement(), message.getContractAgreement())),
                () -> delegate.notifyAgreed(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyVerified(ParticipantContext participantContext, ContractAgreementVerificationMessage message,
                                                                     TokenRepresentation tokenRepresentation) {
        return inOrder(participantContext, message, message.getProcessId(), tokenRepresentation,
                new Rule(PROVIDER, EnumSet.of(AGREEING), negotiation -> VERIFICATION_APPLIED.contains(stateOf(negotiation))),
                () -> delegate.notifyVerified(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyFinalized(ParticipantContext participantContext, ContractNegotiationEventMessage message,
                                                                      TokenRepresentation tokenRepresentation) {
        return inOrder(participantContext, message, message.getProcessId(), tokenRepresentation,
                new Rule(CONSUMER, EnumSet.of(VERIFYING), negotiation -> stateOf(negotiation) == FINALIZED),
                () -> delegate.notifyFinalized(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> notifyTerminated(ParticipantContext participantContext, ContractNegotiationTerminationMessage message,
                                                                       TokenRepresentation tokenRepresentation) {
        return inOrder(participantContext, message, message.getProcessId(), tokenRepresentation,
                new Rule(null, EnumSet.noneOf(ContractNegotiationStates.class), negotiation -> stateOf(negotiation) == TERMINATED),
                () -> delegate.notifyTerminated(participantContext, message, tokenRepresentation));
    }

    @Override
    public @NotNull ServiceResult<ContractNegotiation> findById(ParticipantContext participantContext, ContractNegotiationRequestMessage message,
                                                               TokenRepresentation tokenRepresentation) {
        return delegate.findById(participantContext, message, tokenRepresentation);
    }

    /** A message about an existing negotiation, with its repeat recognised ({@link RepeatedMessages}) and in order. */
    private ServiceResult<ContractNegotiation> inOrder(ParticipantContext participantContext, ProcessRemoteMessage message, String negotiationId,
                                                       TokenRepresentation token, Rule rule, Supplier<ServiceResult<ContractNegotiation>> handling) {
        return repeats.handle(message, token, () -> ordered(participantContext, message, negotiationId, token, rule, handling));
    }

    private ServiceResult<ContractNegotiation> ordered(ParticipantContext participantContext, ProcessRemoteMessage message, String negotiationId,
                                                       TokenRepresentation token, Rule rule, Supplier<ServiceResult<ContractNegotiation>> handling) {
        if (negotiationId == null) {
            return UnsavedLeases.letGoAfter(handling);
        }
        var negotiation = store.findById(negotiationId);
        if (negotiation == null || !rule.appliesTo(negotiation)) {
            return handled(message, token, handling);
        }
        var type = message.getClass().getSimpleName();
        if (rule.early(negotiation)) {
            var before = stateOf(negotiation);
            negotiation = pending.awaitLeft(() -> store.findById(negotiationId), rule::early);
            if (negotiation != null && rule.early(negotiation)) {
                var sender = checkSender(participantContext, message, negotiationId, token);
                if (sender.failed()) {
                    return sender;
                }
                monitor.debug(() -> "%s for negotiation %s arrived while it is still %s after %s: the peer is asked to retry"
                        .formatted(type, negotiationId, before, pending.bound()));
                releaseForRetry.accept(token);
                throw new PeerRetryLater(type, PendingTransitions.POLL);
            }
            var after = negotiation == null ? "gone" : stateOf(negotiation).name();
            monitor.debug(() -> "%s for negotiation %s arrived while it was %s; handled once it was %s".formatted(type, negotiationId, before, after));
        }
        if (negotiation != null && rule.appliesTo(negotiation) && rule.alreadyApplied().test(negotiation)) {
            var sender = checkSender(participantContext, message, negotiationId, token);
            if (sender.succeeded()) {
                var state = stateOf(sender.getContent());
                monitor.debug(() -> "%s for negotiation %s repeats a step it already took (%s): answered without a change".formatted(type, negotiationId, state));
            }
            return sender;
        }
        return handled(message, token, handling);
    }

    /** EDC's handling, tried while another writer holds the lease, then the peer asked to retry ({@link PendingTransitions#handleOnceLetGo}). */
    private ServiceResult<ContractNegotiation> handled(ProcessRemoteMessage message, TokenRepresentation token,
                                                       Supplier<ServiceResult<ContractNegotiation>> handling) {
        return pending.handleOnceLetGo(message.getClass().getSimpleName(), handling, () -> releaseForRetry.accept(token));
    }

    /**
     * The provider's negotiation an initial contract request created before: one for the same consumer process
     * ({@code consumerPid}) and the same asset. EDC 0.15.1 creates a negotiation for every initial request, so a
     * request sent again — after a lost answer, or by the consumer's state machine retrying — would make a second
     * one, whose agreement the consumer then refuses. The sender is checked against it as for any other message.
     */
    private ContractNegotiation requestedBefore(ContractRequestMessage message) {
        if (message.getConsumerPid() == null || message.getContractOffer() == null) {
            return null;
        }
        var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("correlationId", "=", message.getConsumerPid())).build();
        try (var found = store.queryNegotiations(query)) {
            return found.filter(negotiation -> negotiation.getType() == PROVIDER)
                    .filter(negotiation -> negotiation.getLastContractOffer() != null
                            && Objects.equals(negotiation.getLastContractOffer().getAssetId(), message.getContractOffer().getAssetId()))
                    .findFirst().orElse(null);
        }
    }

    /** EDC's own check that the sender may read the negotiation: the token, the policy scope, the counterparty. */
    private ServiceResult<ContractNegotiation> checkSender(ParticipantContext participantContext, ProcessRemoteMessage message, String negotiationId,
                                                          TokenRepresentation token) {
        var request = ContractNegotiationRequestMessage.Builder.newInstance()
                .negotiationId(negotiationId)
                .protocol(message.getProtocol())
                .counterPartyAddress(message.getCounterPartyAddress())
                .build();
        return delegate.findById(participantContext, request, token);
    }

    private static ContractNegotiationStates stateOf(ContractNegotiation negotiation) {
        return ContractNegotiationStates.from(negotiation.getState());
    }

    /**
     * Which negotiations a message concerns ({@code type}, null for both), the sending states it may arrive early in,
     * and when it repeats a step already taken.
     */
    private record Rule(ContractNegotiation.Type type, Set<ContractNegotiationStates> sending, Predicate<ContractNegotiation> alreadyApplied) {

        boolean appliesTo(ContractNegotiation negotiation) {
            return type == null || negotiation.getType() == type;
        }

        boolean early(ContractNegotiation negotiation) {
            return appliesTo(negotiation) && sending.contains(stateOf(negotiation));
        }
    }
}
