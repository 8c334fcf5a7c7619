package io.kakehashi.core.protocol;

import io.kakehashi.core.persistence.ForwardingTransferProcessStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import io.kakehashi.core.protocol.MessageOrderFixtures.MutableClock;
import io.kakehashi.core.protocol.MessageOrderFixtures.ScriptedWait;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.defaults.storage.transferprocess.InMemoryTransferProcessStore;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessProtocolService;
import org.eclipse.edc.connector.controlplane.services.transferprocess.TransferProcessProtocolServiceImpl;
import org.eclipse.edc.connector.controlplane.transfer.observe.TransferProcessObservableImpl;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferCompletionMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferStartMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferTerminationMessage;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.spi.telemetry.Telemetry;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static io.kakehashi.core.protocol.MessageOrderFixtures.CONTEXT_ID;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PEER;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PEER_TOKEN;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PROTOCOL;
import static io.kakehashi.core.protocol.MessageOrderFixtures.agreement;
import static io.kakehashi.core.protocol.MessageOrderFixtures.context;
import static io.kakehashi.core.protocol.MessageOrderFixtures.negotiation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.CONSUMER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZED;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.COMPLETED;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.COMPLETING_REQUESTED;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.REQUESTING;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.STARTED;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.STARTING;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.TERMINATED;

/**
 * The races of issue 18 item 2 for transfers, provoked deterministically against EDC 0.15.1's own protocol service
 * (in-memory stores), as {@link OrderedContractNegotiationProtocolServiceTest} does for negotiations.
 */
@ComponentTest
class OrderedTransferProcessProtocolServiceTest {

    private final InMemoryTransferProcessStore store = new InMemoryTransferProcessStore(Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());
    private final InMemoryContractNegotiationStore negotiations = new InMemoryContractNegotiationStore(Clock.systemUTC(),
            CriterionOperatorRegistryImpl.ofDefaults());
    private final TransferProcessProtocolService edc = new TransferProcessProtocolServiceImpl(store, new NoopTransactionContext(), negotiations,
            MessageOrderFixtures.validation(), MessageOrderFixtures.tokens(), null, new TransferProcessObservableImpl(), Clock.systemUTC(),
            new Monitor() { }, new Telemetry(), null);
    private final String contractId;

    OrderedTransferProcessProtocolServiceTest() {
        var agreement = agreement("shared-transfer", "use");
        negotiations.save(negotiation(CONSUMER, FINALIZED, agreement));
        contractId = agreement.getId();
    }

    private TransferProcessProtocolService ordered(PendingTransitions transitions) {
        return new OrderedTransferProcessProtocolService(edc, store, transitions, new Monitor() { });
    }

    private TransferProcess saved(TransferProcess.Type type, TransferProcessStates state) {
        var process = TransferProcess.Builder.newInstance()
                .id(UUID.randomUUID().toString())
                .correlationId(UUID.randomUUID().toString())
                .type(type)
                .state(state.code())
                .protocol(PROTOCOL)
                .counterPartyAddress("http://peer.example/protocol")
                .contractId(contractId)
                .assetId(MessageOrderFixtures.ASSET)
                .transferType("HttpData-PULL")
                .participantContextId(CONTEXT_ID)
                .build();
        store.save(process);
        return process;
    }

    private Runnable stateMachineSaves(String id, Consumer<TransferProcess> transition) {
        return () -> {
            var process = store.findById(id);
            transition.accept(process);
            store.save(process);
        };
    }

    private TransferProcessStates stateOf(String id) {
        return TransferProcessStates.from(store.findById(id).getState());
    }

    private static TransferStartMessage start(TransferProcess consumer) {
        return TransferStartMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .consumerPid(consumer.getId()).providerPid(consumer.getCorrelationId()).processId(consumer.getId())
                .protocol(PROTOCOL).counterPartyId(PEER)
                .dataAddress(DataAddress.Builder.newInstance().type("HttpData").property("endpoint", "http://peer.example/data").build())
                .build();
    }

    private static TransferCompletionMessage completion(TransferProcess process) {
        return TransferCompletionMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .providerPid(process.getId()).consumerPid(process.getCorrelationId()).processId(process.getId())
                .protocol(PROTOCOL).counterPartyId(PEER).build();
    }

    private static TransferTerminationMessage termination(TransferProcess process) {
        return TransferTerminationMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                .providerPid(process.getId()).consumerPid(process.getCorrelationId()).processId(process.getId())
                .protocol(PROTOCOL).counterPartyId(PEER).reason("peer ends it").build();
    }

    @Test
    void start_whenConsumerStillRequesting_shouldWaitForRequestedAndStart() {
        var consumer = saved(TransferProcess.Type.CONSUMER, REQUESTING);
        var wait = ScriptedWait.savingOnFirstPause(stateMachineSaves(consumer.getId(), TransferProcess::transitionRequested));

        var result = ordered(wait.transitions(Duration.ofSeconds(5))).notifyStarted(context(), start(consumer), PEER_TOKEN);

        assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
        assertThat(stateOf(consumer.getId())).isEqualTo(STARTED);
    }

    @Test
    void start_whenConsumerStillRequesting_withoutTheWrapper_isRefusedByEdc() {
        var consumer = saved(TransferProcess.Type.CONSUMER, REQUESTING);

        var result = edc.notifyStarted(context(), start(consumer), PEER_TOKEN);

        assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
    }

    @Test
    void start_whenRequestingOutlastsTheBound_shouldAskThePeerToRetry() {
        var consumer = saved(TransferProcess.Type.CONSUMER, REQUESTING);

        assertThatThrownBy(() -> ordered(ScriptedWait.neverSaved(new MutableClock()).transitions(Duration.ofSeconds(1)))
                .notifyStarted(context(), start(consumer), PEER_TOKEN))
                .isInstanceOfSatisfying(PeerRetryLater.class, e -> assertThat(e.getResponse().getStatus()).isEqualTo(503));
        assertThat(stateOf(consumer.getId())).isEqualTo(REQUESTING);
    }

    @Test
    void completion_whenProviderStillStarting_shouldWaitForStartedAndComplete() {
        var provider = saved(TransferProcess.Type.PROVIDER, STARTING);
        var wait = ScriptedWait.savingOnFirstPause(stateMachineSaves(provider.getId(), TransferProcess::transitionStarted));

        var result = ordered(wait.transitions(Duration.ofSeconds(5))).notifyCompleted(context(), completion(provider), PEER_TOKEN);

        assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
        assertThat(stateOf(provider.getId())).isEqualTo(COMPLETING_REQUESTED);
    }

    @Test
    void completion_whenProviderStillStarting_withoutTheWrapper_isRefusedByEdc() {
        var provider = saved(TransferProcess.Type.PROVIDER, STARTING);

        assertThat(edc.notifyCompleted(context(), completion(provider), PEER_TOKEN).reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
    }

    @Test
    void repeatedCompletionAndTermination_whenAlreadyApplied_shouldSucceedWithoutChange() {
        var completed = saved(TransferProcess.Type.PROVIDER, COMPLETED);
        var terminated = saved(TransferProcess.Type.CONSUMER, TERMINATED);
        var service = ordered(new PendingTransitions(Duration.ofSeconds(5)));

        assertThat(service.notifyCompleted(context(), completion(completed), PEER_TOKEN).succeeded()).isTrue();
        assertThat(service.notifyTerminated(context(), termination(terminated), PEER_TOKEN).succeeded()).isTrue();
        assertThat(stateOf(completed.getId())).isEqualTo(COMPLETED);
        assertThat(stateOf(terminated.getId())).isEqualTo(TERMINATED);
        assertThat(edc.notifyCompleted(context(), completion(completed), PEER_TOKEN).reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
    }

    @Test
    void start_whenTheConsumerAlreadyCompleted_shouldSucceedWithoutChange() {
        var completed = saved(TransferProcess.Type.CONSUMER, COMPLETED);
        var terminated = saved(TransferProcess.Type.CONSUMER, TERMINATED);
        var service = ordered(new PendingTransitions(Duration.ofSeconds(5)));

        assertThat(edc.notifyStarted(context(), start(completed), PEER_TOKEN).reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        assertThat(service.notifyStarted(context(), start(completed), PEER_TOKEN).succeeded()).isTrue();
        assertThat(stateOf(completed.getId())).isEqualTo(COMPLETED);
        assertThat(service.notifyStarted(context(), start(terminated), PEER_TOKEN).reason())
                .as("a terminated consumer still refuses a start").isEqualTo(ServiceFailure.Reason.CONFLICT);
    }

    @Test
    void termination_whenCompleted_shouldStayAConflict() {
        var completed = saved(TransferProcess.Type.PROVIDER, COMPLETED);

        var result = ordered(new PendingTransitions(Duration.ofSeconds(5))).notifyTerminated(context(), termination(completed), PEER_TOKEN);

        assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        assertThat(stateOf(completed.getId())).isEqualTo(COMPLETED);
    }

    @Nested
    class WhenAnotherWriterHoldsTheLease {

        private final AtomicBoolean held = new AtomicBoolean(true);
        private final AtomicInteger released = new AtomicInteger();
        /** Another replica's state machine holds the process: EDC's SQL lease refuses every other holder meanwhile. */
        private final TransferProcessProtocolService edcBehindTheLease = new TransferProcessProtocolServiceImpl(new ForwardingTransferProcessStore(store) {
            @Override
            public StoreResult<TransferProcess> findByIdAndLease(String id) {
                var other = new ForwardingTransferProcessStore(store) {
                    @Override
                    public StoreResult<TransferProcess> findByIdAndLease(String leased) {
                        return held.get() ? StoreResult.alreadyLeased("Entity %s of kind TransferProcess is currently leased!".formatted(leased))
                                : delegate.findByIdAndLease(leased);
                    }
                };
                return LeasedAfresh.findByIdAndLease(other, id);
            }
        }, new NoopTransactionContext(), negotiations, MessageOrderFixtures.validation(), MessageOrderFixtures.tokens(), null,
                new TransferProcessObservableImpl(), Clock.systemUTC(), new Monitor() { }, new Telemetry(), null);

        private TransferProcessProtocolService ordered(ScriptedWait wait) {
            return new OrderedTransferProcessProtocolService(edcBehindTheLease, store, wait.transitions(Duration.ofSeconds(1)), new Monitor() { },
                    token -> released.incrementAndGet());
        }

        @Test
        void completion_withoutTheWrapper_isAConflictWhichEndsThePeersTransfer() {
            var provider = saved(TransferProcess.Type.PROVIDER, STARTED);

            assertThat(edcBehindTheLease.notifyCompleted(context(), completion(provider), PEER_TOKEN).reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void completion_whenTheLeaseIsLetGoWithinTheBound_shouldBeHandledOnceItIs() {
            var provider = saved(TransferProcess.Type.PROVIDER, STARTED);
            var wait = ScriptedWait.savingOnFirstPause(() -> held.set(false));

            var result = ordered(wait).notifyCompleted(context(), completion(provider), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            assertThat(stateOf(provider.getId())).isEqualTo(COMPLETING_REQUESTED);
            assertThat(released).as("the token EDC verified before the first try, for the second").hasValue(1);
        }

        @Test
        void completion_whenTheLeaseOutlastsTheBound_shouldAskThePeerToRetry() {
            // EDC's 409 would be final to the sender, which would then end its transfer alone (the crash suite's
            // termination crossing a finalization, 2026-12-07): the peer is asked to retry instead
            var provider = saved(TransferProcess.Type.PROVIDER, STARTED);
            var wait = ScriptedWait.neverSaved(new MutableClock());

            assertThatThrownBy(() -> ordered(wait).notifyCompleted(context(), completion(provider), PEER_TOKEN))
                    .isInstanceOfSatisfying(PeerRetryLater.class, e -> {
                        assertThat(e.getResponse().getStatus()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("TransferCompletionMessage", "another writer");
                    });
            assertThat(stateOf(provider.getId())).isEqualTo(STARTED);
            // tried again every 25 ms for the shorter of the lease bound and this wrapper's bound (1 s)
            assertThat(wait.pauses()).isEqualTo((int) (Math.min(1000, PendingTransitions.LEASE_BOUND.toMillis()) / 25));
            assertThat(released.get()).as("released for every try after the first, and for the peer's retry").isEqualTo(wait.pauses() + 1);
        }
    }
}
