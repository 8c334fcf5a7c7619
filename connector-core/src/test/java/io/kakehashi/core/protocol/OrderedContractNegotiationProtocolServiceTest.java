package io.kakehashi.core.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.persistence.ForwardingContractNegotiationStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import io.kakehashi.core.protocol.MessageOrderFixtures.MutableClock;
import io.kakehashi.core.protocol.MessageOrderFixtures.ScriptedWait;
import org.eclipse.edc.connector.controlplane.contract.observe.ContractNegotiationObservableImpl;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementVerificationMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractNegotiationEventMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationTerminationMessage;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.services.contractnegotiation.ContractNegotiationProtocolServiceImpl;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.telemetry.Telemetry;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.eclipse.edc.connector.controlplane.services.spi.protocol.ProtocolTokenValidator;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.StoreResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static io.kakehashi.core.protocol.MessageOrderFixtures.PEER_TOKEN;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PROTOCOL;
import static io.kakehashi.core.protocol.MessageOrderFixtures.STRANGER_TOKEN;
import static io.kakehashi.core.protocol.MessageOrderFixtures.agreement;
import static io.kakehashi.core.protocol.MessageOrderFixtures.context;
import static io.kakehashi.core.protocol.MessageOrderFixtures.negotiation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.CONSUMER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.PROVIDER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREEING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.REQUESTING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.TERMINATED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFIED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFYING;

/**
 * The races of issue 18 item 2 for negotiations, provoked deterministically against EDC 0.15.1's own protocol service
 * (in-memory store): the message is handed in while the negotiation is held in the sending state, and the state
 * machine's save of the next state happens while the wrapper waits ({@link ScriptedWait}). Without the wrapper, EDC
 * answers each of these a conflict, which makes the peer terminate.
 */
@ComponentTest
class OrderedContractNegotiationProtocolServiceTest {

    private final InMemoryContractNegotiationStore store = new InMemoryContractNegotiationStore(Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());
    private final ContractNegotiationProtocolService edc = new ContractNegotiationProtocolServiceImpl(store, new NoopTransactionContext(),
            MessageOrderFixtures.validation(), offerId -> ServiceResult.notFound("no offers here"), MessageOrderFixtures.tokens(),
            new ContractNegotiationObservableImpl(), new Monitor() { }, new Telemetry());

    private ContractNegotiationProtocolService ordered(PendingTransitions transitions) {
        return new OrderedContractNegotiationProtocolService(edc, store, transitions, new SameAgreement(new ObjectMapper()), new Monitor() { });
    }

    private ContractNegotiation saved(ContractNegotiation negotiation) {
        store.save(negotiation);
        return negotiation;
    }

    /** What the state machine does once the peer answered its message: the next state saved. */
    private Runnable stateMachineSaves(String id, Consumer<ContractNegotiation> transition) {
        return () -> {
            var negotiation = store.findById(id);
            transition.accept(negotiation);
            store.save(negotiation);
        };
    }

    private ContractNegotiationStates stateOf(String id) {
        return ContractNegotiationStates.from(store.findById(id).getState());
    }

    private static ContractAgreementVerificationMessage verification(ContractNegotiation provider) {
        return ContractAgreementVerificationMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .providerPid(provider.getId()).consumerPid(provider.getCorrelationId()).processId(provider.getId())
                .protocol(PROTOCOL).policy(MessageOrderFixtures.policy("use")).build();
    }

    private static ContractAgreementMessage agreementMessage(ContractNegotiation consumer, ContractAgreement agreement) {
        return ContractAgreementMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .consumerPid(consumer.getId()).providerPid(consumer.getCorrelationId()).processId(consumer.getId())
                .protocol(PROTOCOL).contractAgreement(agreement).callbackAddress("http://peer.example/protocol").build();
    }

    private static ContractNegotiationEventMessage finalized(ContractNegotiation consumer) {
        return ContractNegotiationEventMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .type(ContractNegotiationEventMessage.Type.FINALIZED)
                .consumerPid(consumer.getId()).providerPid(consumer.getCorrelationId()).processId(consumer.getId())
                .protocol(PROTOCOL).policy(MessageOrderFixtures.policy("use")).build();
    }

    private static ContractNegotiationTerminationMessage termination(ContractNegotiation negotiation) {
        return ContractNegotiationTerminationMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .providerPid(negotiation.getId()).consumerPid(negotiation.getCorrelationId()).processId(negotiation.getId())
                .protocol(PROTOCOL).rejectionReason("peer withdraws").policy(MessageOrderFixtures.policy("use")).build();
    }

    @Nested
    class EarlyMessages {

        @Test
        void verification_whenProviderStillAgreeing_shouldWaitForAgreedAndVerify() {
            var provider = saved(negotiation(PROVIDER, AGREEING, agreement("shared-1", "use")));
            var wait = ScriptedWait.savingOnFirstPause(stateMachineSaves(provider.getId(), ContractNegotiation::transitionAgreed));

            var result = ordered(wait.transitions(Duration.ofSeconds(5))).notifyVerified(context(), verification(provider), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            assertThat(stateOf(provider.getId())).isEqualTo(VERIFIED);
            assertThat(wait.pauses()).isEqualTo(1);
        }

        @Test
        void verification_whenProviderStillAgreeing_withoutTheWrapper_isRefusedByEdc() {
            var provider = saved(negotiation(PROVIDER, AGREEING, agreement("shared-1", "use")));

            var result = edc.notifyVerified(context(), verification(provider), PEER_TOKEN);

            assertThat(result.failed()).isTrue();
            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void verification_whenAgreeingOutlastsTheBound_shouldAskThePeerToRetryAndChangeNothing() {
            var provider = saved(negotiation(PROVIDER, AGREEING, agreement("shared-1", "use")));
            var clock = new MutableClock();

            assertThatThrownBy(() -> ordered(ScriptedWait.neverSaved(clock).transitions(Duration.ofSeconds(2)))
                    .notifyVerified(context(), verification(provider), PEER_TOKEN))
                    .isInstanceOfSatisfying(PeerRetryLater.class, e -> {
                        assertThat(e.getResponse().getStatus()).isEqualTo(503);
                        assertThat(e.getResponse().getHeaderString("Retry-After")).isEqualTo("1");
                    });
            assertThat(stateOf(provider.getId())).isEqualTo(AGREEING);
        }

        @Test
        void verification_whenAgreeingOutlastsTheBound_retriedWithTheSameToken_shouldBeVerifiedOnceAgreed() {
            var provider = saved(negotiation(PROVIDER, AGREEING, agreement("shared-1", "use")));
            var seen = new SeenTokens();
            var edcRecordingTokens = new ContractNegotiationProtocolServiceImpl(store, new NoopTransactionContext(), MessageOrderFixtures.validation(),
                    offerId -> ServiceResult.notFound("no offers here"), seen.validator(), new ContractNegotiationObservableImpl(), new Monitor() { },
                    new Telemetry());
            var message = verification(provider);
            var token = SeenTokens.token("jti-of-the-first-send");
            var wrapper = new OrderedContractNegotiationProtocolService(edcRecordingTokens, store,
                    ScriptedWait.neverSaved(new MutableClock()).transitions(Duration.ofSeconds(2)), new SameAgreement(new ObjectMapper()),
                    new Monitor() { }, new RetriedTokenRelease(seen, new ObjectMapper()));

            assertThatThrownBy(() -> wrapper.notifyVerified(context(), message, token)).isInstanceOf(PeerRetryLater.class);
            stateMachineSaves(provider.getId(), ContractNegotiation::transitionAgreed).run();
            // EDC's dispatcher retries the same request: the same token
            var retried = wrapper.notifyVerified(context(), message, token);

            assertThat(retried.succeeded()).as("the retry, %s", retried.getFailureMessages()).isTrue();
            assertThat(stateOf(provider.getId())).isEqualTo(VERIFIED);
            assertThat(seen.findById("jti-of-the-first-send")).as("recorded again by the retry").isNotNull();
        }

        @Test
        void verification_whenAgreeingOutlastsTheBound_retriedWithTheSameToken_withoutTheRelease_isRefusedAsAReplay() {
            var provider = saved(negotiation(PROVIDER, AGREEING, agreement("shared-1", "use")));
            var seen = new SeenTokens();
            var edcRecordingTokens = new ContractNegotiationProtocolServiceImpl(store, new NoopTransactionContext(), MessageOrderFixtures.validation(),
                    offerId -> ServiceResult.notFound("no offers here"), seen.validator(), new ContractNegotiationObservableImpl(), new Monitor() { },
                    new Telemetry());
            var message = verification(provider);
            var token = SeenTokens.token("jti-of-the-first-send");
            var wrapper = new OrderedContractNegotiationProtocolService(edcRecordingTokens, store,
                    ScriptedWait.neverSaved(new MutableClock()).transitions(Duration.ofSeconds(2)), new SameAgreement(new ObjectMapper()), new Monitor() { });

            assertThatThrownBy(() -> wrapper.notifyVerified(context(), message, token)).isInstanceOf(PeerRetryLater.class);
            stateMachineSaves(provider.getId(), ContractNegotiation::transitionAgreed).run();
            var retried = wrapper.notifyVerified(context(), message, token);

            assertThat(retried.failed()).as("decision 0024's 503 alone: the retry is a replay (401), the peer terminates").isTrue();
            assertThat(retried.getFailure().getReason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
            assertThat(stateOf(provider.getId())).isEqualTo(AGREED);
        }

        @Test
        void verification_whenAgreeingOutlastsTheBound_fromAStranger_shouldBeRefusedNotRetried() {
            var provider = saved(negotiation(PROVIDER, AGREEING, agreement("shared-1", "use")));

            var result = ordered(ScriptedWait.neverSaved(new MutableClock()).transitions(Duration.ofSeconds(2)))
                    .notifyVerified(context(), verification(provider), STRANGER_TOKEN);

            assertThat(result.failed()).isTrue();
            assertThat(stateOf(provider.getId())).isEqualTo(AGREEING);
        }

        @Test
        void agreement_whenConsumerStillRequesting_shouldWaitForRequestedAndAgree() {
            var consumer = saved(negotiation(CONSUMER, REQUESTING, null));
            var wait = ScriptedWait.savingOnFirstPause(stateMachineSaves(consumer.getId(), ContractNegotiation::transitionRequested));
            var agreement = agreement("shared-2", "use");

            var result = ordered(wait.transitions(Duration.ofSeconds(5))).notifyAgreed(context(), agreementMessage(consumer, agreement), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            var after = store.findById(consumer.getId());
            assertThat(ContractNegotiationStates.from(after.getState())).isEqualTo(AGREED);
            assertThat(after.getContractAgreement().getAgreementId()).isEqualTo("shared-2");
        }

        @Test
        void agreement_whenConsumerStillRequesting_withoutTheWrapper_isRefusedByEdc() {
            var consumer = saved(negotiation(CONSUMER, REQUESTING, null));

            var result = edc.notifyAgreed(context(), agreementMessage(consumer, agreement("shared-2", "use")), PEER_TOKEN);

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void finalization_whenConsumerStillVerifying_shouldWaitForVerifiedAndFinalize() {
            var consumer = saved(negotiation(CONSUMER, VERIFYING, agreement("shared-3", "use")));
            var wait = ScriptedWait.savingOnFirstPause(stateMachineSaves(consumer.getId(), ContractNegotiation::transitionVerified));

            var result = ordered(wait.transitions(Duration.ofSeconds(5))).notifyFinalized(context(), finalized(consumer), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            assertThat(stateOf(consumer.getId())).isEqualTo(FINALIZED);
        }
    }

    @Nested
    class RepeatedMessages {

        @Test
        void sameAgreement_whenConsumerAlreadyVerified_shouldSucceedWithoutChange() {
            var consumer = saved(negotiation(CONSUMER, VERIFIED, agreement("shared-4", "use")));
            var countBefore = store.findById(consumer.getId()).getStateCount();
            var resent = agreement("shared-4", "use");

            var result = ordered(new PendingTransitions(Duration.ofSeconds(5))).notifyAgreed(context(), agreementMessage(consumer, resent), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            var after = store.findById(consumer.getId());
            assertThat(ContractNegotiationStates.from(after.getState())).isEqualTo(VERIFIED);
            assertThat(after.getStateCount()).isEqualTo(countBefore);
        }

        @Test
        void sameAgreement_whenConsumerAlreadyVerified_withoutTheWrapper_isRefusedByEdc() {
            var consumer = saved(negotiation(CONSUMER, VERIFIED, agreement("shared-4", "use")));

            var result = edc.notifyAgreed(context(), agreementMessage(consumer, agreement("shared-4", "use")), PEER_TOKEN);

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void otherAgreement_whenConsumerAlreadyVerified_shouldStayAConflict() {
            var consumer = saved(negotiation(CONSUMER, VERIFIED, agreement("shared-5", "use")));
            var service = ordered(new PendingTransitions(Duration.ofSeconds(5)));

            var otherId = service.notifyAgreed(context(), agreementMessage(consumer, agreement("shared-other", "use")), PEER_TOKEN);
            var otherTerms = service.notifyAgreed(context(), agreementMessage(consumer, agreement("shared-5", "distribute")), PEER_TOKEN);

            assertThat(otherId.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
            assertThat(otherTerms.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
            var after = store.findById(consumer.getId());
            assertThat(after.getContractAgreement().getAgreementId()).isEqualTo("shared-5");
            assertThat(after.getContractAgreement().getPolicy().getPermissions().get(0).getAction().getType()).isEqualTo("use");
        }

        @Test
        void sameAgreement_fromAStranger_shouldBeRefused() {
            var consumer = saved(negotiation(CONSUMER, VERIFIED, agreement("shared-6", "use")));

            var result = ordered(new PendingTransitions(Duration.ofSeconds(5)))
                    .notifyAgreed(context(), agreementMessage(consumer, agreement("shared-6", "use")), STRANGER_TOKEN);

            assertThat(result.failed()).isTrue();
            assertThat(result.reason()).isNotEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void verification_whenProviderAlreadyFinalized_shouldSucceedWithoutChange() {
            var provider = saved(negotiation(PROVIDER, FINALIZED, agreement("shared-7", "use")));

            var result = ordered(new PendingTransitions(Duration.ofSeconds(5))).notifyVerified(context(), verification(provider), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            assertThat(stateOf(provider.getId())).isEqualTo(FINALIZED);
        }

        @Test
        void finalization_whenConsumerAlreadyFinalized_shouldSucceedWithoutChange() {
            var consumer = saved(negotiation(CONSUMER, FINALIZED, agreement("shared-8", "use")));

            var result = ordered(new PendingTransitions(Duration.ofSeconds(5))).notifyFinalized(context(), finalized(consumer), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            assertThat(edc.notifyFinalized(context(), finalized(consumer), PEER_TOKEN).reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void termination_whenAlreadyTerminated_shouldSucceed_butWhenFinalized_shouldStayAConflict() {
            var terminated = saved(negotiation(PROVIDER, TERMINATED, null));
            var finalizedOne = saved(negotiation(PROVIDER, FINALIZED, agreement("shared-9", "use")));
            var service = ordered(new PendingTransitions(Duration.ofSeconds(5)));

            assertThat(service.notifyTerminated(context(), termination(terminated), PEER_TOKEN).succeeded()).isTrue();
            assertThat(service.notifyTerminated(context(), termination(finalizedOne), PEER_TOKEN).reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
            assertThat(stateOf(finalizedOne.getId())).isEqualTo(FINALIZED);
        }
    }


    /**
     * A termination crossing a finalization (the crash suite of 2026-12-07): the provider's state machine holds the
     * negotiation in FINALIZING while it sends to the consumer, whose state machine holds its own while it sends the
     * termination. EDC's 409 to the termination was final to the consumer, which ended alone while the provider stayed
     * FINALIZING.
     */
    @Nested
    class WhenTheStateMachineHoldsTheNegotiation {

        private final AtomicBoolean held = new AtomicBoolean(true);
        private final AtomicInteger released = new AtomicInteger();
        private final ContractNegotiationProtocolService edcBehindTheLease = new ContractNegotiationProtocolServiceImpl(
                new ForwardingContractNegotiationStore(store) {
                    @Override
                    public StoreResult<ContractNegotiation> findByIdAndLease(String id) {
                        return held.get() ? LeasedAfresh.stillLeasedFailure(id) : delegate.findByIdAndLease(id);
                    }
                }, new NoopTransactionContext(), MessageOrderFixtures.validation(), offerId -> ServiceResult.notFound("no offers here"),
                MessageOrderFixtures.tokens(), new ContractNegotiationObservableImpl(), new Monitor() { }, new Telemetry());

        private ContractNegotiationProtocolService ordered(ScriptedWait wait) {
            return new OrderedContractNegotiationProtocolService(edcBehindTheLease, store, wait.transitions(Duration.ofSeconds(1)),
                    new SameAgreement(new ObjectMapper()), new Monitor() { }, token -> released.incrementAndGet());
        }

        @Test
        void termination_whenTheHoldOutlastsTheBound_shouldAskThePeerToRetry() {
            var provider = saved(negotiation(PROVIDER, FINALIZING, agreement("shared-10", "use")));

            assertThatThrownBy(() -> ordered(ScriptedWait.neverSaved(new MutableClock())).notifyTerminated(context(), termination(provider), PEER_TOKEN))
                    .isInstanceOfSatisfying(PeerRetryLater.class, e -> assertThat(e.getResponse().getStatus()).isEqualTo(503));
            assertThat(stateOf(provider.getId())).isEqualTo(FINALIZING);

            held.set(false);
            var retried = ordered(ScriptedWait.neverSaved(new MutableClock())).notifyTerminated(context(), termination(provider), PEER_TOKEN);

            assertThat(retried.succeeded()).as("%s", retried.getFailureMessages()).isTrue();
            assertThat(stateOf(provider.getId())).isEqualTo(TERMINATED);
        }

        @Test
        void termination_whenTheHoldEndsWithinTheBound_shouldBeHandledOnceItDoes() {
            var provider = saved(negotiation(PROVIDER, FINALIZING, agreement("shared-11", "use")));

            var result = ordered(ScriptedWait.savingOnFirstPause(() -> held.set(false))).notifyTerminated(context(), termination(provider), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            assertThat(stateOf(provider.getId())).isEqualTo(TERMINATED);
            assertThat(released).as("the token EDC verified before the first try, for the second").hasValue(1);
        }
    }

    /**
     * A token store as the DCP verifier keeps it: a token whose {@code jti} was seen is refused as a replay, a new one is
     * recorded once it verified.
     */
    static final class SeenTokens implements JtiValidationStore {

        private final Map<String, JtiValidationEntry> entries = new ConcurrentHashMap<>();

        static TokenRepresentation token(String jti) {
            var encoder = Base64.getUrlEncoder().withoutPadding();
            var payload = encoder.encodeToString(("{\"iss\":\"" + MessageOrderFixtures.PEER + "\",\"jti\":\"" + jti + "\"}").getBytes(StandardCharsets.UTF_8));
            return TokenRepresentation.Builder.newInstance().token(encoder.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + payload + ".c2ln").build();
        }

        ProtocolTokenValidator validator() {
            return (participantContext, token, policyContextProvider, policy, message) -> {
                var jti = RetriedTokenRelease.jti(token.getToken(), new ObjectMapper()).orElse("");
                if (entries.containsKey(jti)) {
                    return ServiceResult.unauthorized("token jti '%s' was already used (replay)".formatted(jti));
                }
                entries.put(jti, new JtiValidationEntry(jti, Long.MAX_VALUE));
                return ServiceResult.success(new ParticipantAgent(MessageOrderFixtures.PEER, Map.of(), Map.of()));
            };
        }

        @Override
        public StoreResult<Void> storeEntry(JtiValidationEntry entry) {
            return entries.putIfAbsent(entry.tokenId(), entry) == null ? StoreResult.success() : StoreResult.alreadyExists(entry.tokenId());
        }

        @Override
        public JtiValidationEntry findById(String id, boolean autoCleanup) {
            return entries.get(id);
        }

        @Override
        public StoreResult<Void> deleteById(String id) {
            return entries.remove(id) != null ? StoreResult.success() : StoreResult.notFound(id);
        }

        @Override
        public StoreResult<Integer> deleteExpired() {
            return StoreResult.success(0);
        }
    }
}
