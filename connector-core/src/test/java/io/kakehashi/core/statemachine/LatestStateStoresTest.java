package io.kakehashi.core.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractOffer;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.defaults.storage.transferprocess.InMemoryTransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.StoreResult;
import io.kakehashi.core.persistence.LeasedAfresh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.CONSUMER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.PROVIDER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.ACCEPTED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.TERMINATED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.TERMINATING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFIED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFYING;
import static org.eclipse.edc.spi.persistence.StateEntityStore.hasState;
import static org.eclipse.edc.spi.persistence.StateEntityStore.isNotPending;

/**
 * The sequence of saves that made the DSP TCK's CN_C:02-03, CN_C:02-06 and CN:02-06 fail once state machines ran on
 * wake-ups (and TP:02-05 now and then), replayed step by step on EDC's in-memory stores. Three writers of one runtime save one negotiation: EDC's
 * state machine, woken by the event of a state saved by the protocol service, finds it at once in a state the pending
 * guard holds, marks it pending and leaves a copy with the guard; an event subscriber (100 ms after the event in the
 * TCK's extension) moves it on; the guard (500 ms after the hold) saves its copy back. Polling at EDC's default 1 s
 * the state machine rarely looked before the subscriber, so the guard rarely held a copy. No thread, no timing: every
 * transition reads a clock that ticks once per read.
 */
@ComponentTest
class LatestStateStoresTest {

    private final TickingClock clock = new TickingClock();
    private final InMemoryContractNegotiationStore edcStore = new InMemoryContractNegotiationStore(clock, CriterionOperatorRegistryImpl.ofDefaults());
    private final AtomicInteger stateChanges = new AtomicInteger();
    private final LatestStateContractNegotiationStore store = new LatestStateContractNegotiationStore(edcStore, new Monitor() { },
            stateChanges::incrementAndGet);

    @Nested
    class WhenAGuardsCopyComesBackAfterAnotherWritersTransition {

        @Test
        void save_whenTheGuardReleasesItsCopyAfterTheNegotiationWentOn_shouldKeepTheNewerState() {
            // CN_C:02-06: the consumer is AGREED; the application verifies, the provider terminates; then the guard's copy
            var id = saved(CONSUMER, AGREED);
            var guardsCopy = heldByTheGuard(id);

            var subscriber = store.findByIdAndLease(id).getContent();
            subscriber.transitionVerifying();
            subscriber.setPending(false);
            store.save(subscriber);
            transition(id, ContractNegotiation::transitionVerified);
            transition(id, ContractNegotiation::transitionTerminated);

            guardsCopy.setPending(false);
            var result = store.save(guardsCopy);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("older than the stored TERMINATED");
            assertThat(stateOf(id)).isEqualTo(TERMINATED);
        }

        @Test
        void save_whenTheSameSequenceMeetsEdcsStoreAlone_shouldLoseTheTransition() {
            // what the TCK saw: the terminated consumer back in AGREED, so the TCK read AGREED where it expected TERMINATED
            var id = saved(CONSUMER, AGREED);
            var guardsCopy = heldByTheGuard(id);
            transition(id, ContractNegotiation::transitionTerminated);

            guardsCopy.setPending(false);
            edcStore.save(guardsCopy);

            assertThat(stateOf(id)).isEqualTo(AGREED);
        }

        @Test
        void save_whenTheCopyIsRefused_shouldFreeTheLeaseItsWriterHeld() {
            var id = saved(CONSUMER, AGREED);
            var leasedCopy = store.nextNotLeased(1, new Criterion("id", "=", id)).get(0);
            transition(id, ContractNegotiation::transitionTerminated);

            assertThat(store.save(leasedCopy).failed()).isTrue();

            assertThat(store.nextNotLeased(1, new Criterion("id", "=", id))).hasSize(1);
        }
    }

    @Nested
    class WhenAHeldNegotiationIsMovedOn {

        @Test
        void save_whenAnotherWriterTransitionsAHeldNegotiation_shouldReleaseTheHold() {
            // CN_C:02-03: the application terminates the held AGREED consumer; EDC's transition keeps the pending flag
            var id = saved(CONSUMER, AGREED);
            heldByTheGuard(id);

            var subscriber = store.findByIdAndLease(id).getContent();
            subscriber.transitionTerminating();
            assertThat(subscriber.isPending()).isTrue();
            store.save(subscriber);

            var next = store.nextNotLeased(10, hasState(TERMINATING.code()), isNotPending(), new Criterion("type", "=", CONSUMER.name()));
            assertThat(next).extracting(ContractNegotiation::getId).containsExactly(id);
        }

        @Test
        void save_whenTheProvidersGuardReleasesItsCopyAfterATermination_shouldKeepTheTerminationProcessable() {
            // CN:02-06: the provider's ACCEPTED is held; the application terminates it; the guard's copy comes back later
            var id = saved(PROVIDER, ACCEPTED);
            var guardsCopy = heldByTheGuard(id);

            var subscriber = store.findByIdAndLease(id).getContent();
            subscriber.transitionTerminating();
            store.save(subscriber);
            guardsCopy.setPending(false);
            store.save(guardsCopy);

            var stored = edcStore.findById(id);
            assertThat(ContractNegotiationStates.from(stored.getState())).isEqualTo(TERMINATING);
            assertThat(stored.isPending()).isFalse();
        }

        @Test
        void save_whenAHoldIsPlacedInTheStoredState_shouldKeepIt() {
            var id = saved(CONSUMER, AGREED);

            heldByTheGuard(id);

            assertThat(edcStore.findById(id).isPending()).isTrue();
        }

        @Test
        void save_whenAWriterMovesOnAndHoldsANegotiationThatWasNotHeld_shouldKeepTheNewHold() {
            var id = saved(CONSUMER, AGREED);

            var writer = store.findByIdAndLease(id).getContent();
            writer.transitionVerifying();
            writer.setPending(true);
            store.save(writer);

            var stored = edcStore.findById(id);
            assertThat(ContractNegotiationStates.from(stored.getState())).isEqualTo(VERIFYING);
            assertThat(stored.isPending()).isTrue();
        }
    }

    @Nested
    class ForTransferProcesses {

        private final InMemoryTransferProcessStore edcTransfers = new InMemoryTransferProcessStore(clock, CriterionOperatorRegistryImpl.ofDefaults());
        private final LatestStateTransferProcessStore transfers = new LatestStateTransferProcessStore(edcTransfers, new Monitor() { },
                stateChanges::incrementAndGet);

        @Test
        void save_whenTheGuardReleasesItsCopyAfterATermination_shouldKeepTheTransferTerminated() {
            // TP:02-05: the provider's PROVISIONED is held; the consumer terminates; then the guard saves its copy back
            var process = TransferProcess.Builder.newInstance()
                    .id(UUID.randomUUID().toString()).correlationId(UUID.randomUUID().toString())
                    .type(TransferProcess.Type.PROVIDER).protocol("dataspace-protocol-http:2025-1")
                    .counterPartyAddress("http://peer.example/protocol").contractId("contract").assetId("asset")
                    .transferType("HttpData-PULL").participantContextId("stale-save-test")
                    .clock(clock).state(TransferProcessStates.PROVISIONED.code())
                    .build();
            process.updateStateTimestamp();
            transfers.save(process);
            var guardsCopy = transfers.nextNotLeased(1, new Criterion("id", "=", process.getId())).get(0);
            guardsCopy.setPending(true);
            transfers.save(guardsCopy);

            var protocolService = transfers.findByIdAndLease(process.getId()).getContent();
            protocolService.transitionTerminated();
            transfers.save(protocolService);
            guardsCopy.setPending(false);

            assertThat(transfers.save(guardsCopy).failed()).isTrue();
            assertThat(TransferProcessStates.from(edcTransfers.findById(process.getId()).getState())).isEqualTo(TransferProcessStates.TERMINATED);
        }
    }

    /**
     * The provider's transfer whose compute job ended before the consumer had answered its start (the sample's round 8
     * of 2026-12-07): the data plane's completion took, by id, the lease the state machine held while it sent the
     * start, was refused in STARTING and let go — and the woken state machine started the transfer a second time.
     */
    @Nested
    class WhileTheStateMachineHoldsALease {

        private final InMemoryTransferProcessStore edcTransfers = new InMemoryTransferProcessStore(clock, CriterionOperatorRegistryImpl.ofDefaults());
        private final LatestStateTransferProcessStore transfers = new LatestStateTransferProcessStore(edcTransfers, new Monitor() { },
                stateChanges::incrementAndGet);
        private final ExecutorService otherWriter = Executors.newSingleThreadExecutor();

        @AfterEach
        void stopTheOtherWriter() {
            otherWriter.shutdownNow();
        }

        @Test
        void findByIdAndLease_whenTheStateMachineSavesItsStep_shouldHandOutTheSavedState() throws Exception {
            var id = savedTransfer(TransferProcessStates.STARTING);
            var starting = transfers.nextNotLeased(1, new Criterion("id", "=", id)).get(0);

            var completion = otherWriter.submit(() -> transfers.findByIdAndLease(id));
            Thread.sleep(200);
            assertThat(completion).as("the completion waits while the start is being sent").isNotDone();

            starting.transitionStarted();
            assertThat(transfers.save(starting).succeeded()).isTrue();

            var leased = completion.get(5, TimeUnit.SECONDS);
            assertThat(leased.succeeded()).isTrue();
            assertThat(TransferProcessStates.from(leased.getContent().getState())).isEqualTo(TransferProcessStates.STARTED);
            assertThat(transfers.nextNotLeased(1, new Criterion("id", "=", id)))
                    .as("the state machine does not get the transfer again while the completion holds it").isEmpty();
        }

        @Test
        void findByIdAndLease_whenTheStateMachineDoesNotLetGo_shouldAnswerStillLeasedAndLeaveItsLease() throws Exception {
            var id = savedTransfer(TransferProcessStates.STARTING);
            transfers.nextNotLeased(1, new Criterion("id", "=", id));

            var completion = otherWriter.submit(() -> transfers.findByIdAndLease(id)).get(10, TimeUnit.SECONDS);

            assertThat(completion.failed()).isTrue();
            assertThat(completion.getFailureDetail()).endsWith(LeasedAfresh.STILL_LEASED);
            assertThat(transfers.nextNotLeased(1, new Criterion("id", "=", id)))
                    .as("the state machine's lease still stands: it is not handed the transfer a second time").isEmpty();
        }

        @Test
        void findByIdAndLease_onTheStateMachinesOwnThread_shouldNotWaitForItself() {
            var id = savedTransfer(TransferProcessStates.STARTING);
            transfers.nextNotLeased(1, new Criterion("id", "=", id));

            var started = System.nanoTime();
            assertThat(transfers.findByIdAndLease(id).succeeded()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(StateMachineLeases.PATIENCE);
        }

        @Test
        void save_whenTheStateMachineLeasesTheProcessWhileTheSaveRuns_shouldKeepItsHold() throws Exception {
            // the protocol service's creation save wakes the state machine, which leases the new process and starts
            // it before the saving thread is done with its save: that late end of the save must not end the new hold
            var duringSave = new AtomicReference<Runnable>(() -> { });
            var edcStore = new InMemoryTransferProcessStore(clock, CriterionOperatorRegistryImpl.ofDefaults()) {
                @Override
                public StoreResult<Void> save(TransferProcess process) {
                    var saved = super.save(process);
                    duringSave.getAndSet(() -> { }).run();
                    return saved;
                }
            };
            var store = new LatestStateTransferProcessStore(edcStore, new Monitor() { }, () -> { });
            var id = UUID.randomUUID().toString();
            var stateMachine = Executors.newSingleThreadExecutor();
            try {
                duringSave.set(() -> {
                    try {
                        stateMachine.submit(() -> store.nextNotLeased(1, new Criterion("id", "=", id))).get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(store.save(process(id, TransferProcessStates.STARTING)).succeeded()).isTrue();

                var completion = otherWriter.submit(() -> store.findByIdAndLease(id));
                Thread.sleep(200);

                assertThat(completion).as("the state machine's hold outlived the save that woke it").isNotDone();
            } finally {
                stateMachine.shutdownNow();
            }
        }

        private String savedTransfer(TransferProcessStates state) {
            var process = process(UUID.randomUUID().toString(), state);
            assertThat(transfers.save(process).succeeded()).isTrue();
            return process.getId();
        }

        private TransferProcess process(String id, TransferProcessStates state) {
            var process = TransferProcess.Builder.newInstance()
                    .id(id).correlationId(UUID.randomUUID().toString())
                    .type(TransferProcess.Type.PROVIDER).protocol("dataspace-protocol-http:2025-1")
                    .counterPartyAddress("http://peer.example/protocol").contractId("contract").assetId("asset")
                    .transferType("HttpData-PULL").participantContextId("lease-test")
                    .clock(clock).state(state.code())
                    .build();
            process.updateStateTimestamp();
            return process;
        }
    }

    @Nested
    class StateMachinesAreToldOfWork {

        @Test
        void save_whenANegotiationIsNewOrChangesState_shouldAnnounceEachOnce() {
            var id = saved(CONSUMER, VERIFYING);
            assertThat(stateChanges).as("a new negotiation").hasValue(1);

            transition(id, ContractNegotiation::transitionVerified);

            assertThat(stateChanges).as("VERIFYING to VERIFIED").hasValue(2);
        }

        @Test
        void save_whenTheStateStaysTheSame_shouldNotAnnounce() {
            var id = saved(CONSUMER, VERIFYING);

            transition(id, negotiation -> negotiation.setPending(true));

            assertThat(stateChanges).as("only the creation").hasValue(1);
        }

        @Test
        void save_whenAStaleCopyIsRefused_shouldNotAnnounce() {
            var id = saved(CONSUMER, AGREED);
            var stale = edcStore.findById(id);
            stale.transitionVerifying();
            transition(id, ContractNegotiation::transitionTerminating);
            var before = stateChanges.get();

            assertThat(store.save(stale).succeeded()).isFalse();

            assertThat(stateChanges).as("nothing new was saved").hasValue(before);
        }
    }

    @Test
    void save_whenACopyIsCurrent_shouldSaveItsTransition() {
        var id = saved(CONSUMER, VERIFYING);

        transition(id, ContractNegotiation::transitionVerified);

        assertThat(stateOf(id)).isEqualTo(VERIFIED);
    }

    private String saved(ContractNegotiation.Type type, ContractNegotiationStates state) {
        var negotiation = ContractNegotiation.Builder.newInstance()
                .id(UUID.randomUUID().toString())
                .correlationId(UUID.randomUUID().toString())
                .counterPartyId("did:web:peer.example")
                .counterPartyAddress("http://peer.example/protocol")
                .protocol("dataspace-protocol-http:2025-1")
                .type(type)
                .participantContextId("stale-save-test")
                .contractOffer(ContractOffer.Builder.newInstance().id("offer").assetId("asset").policy(Policy.Builder.newInstance().build()).build())
                .clock(clock)
                .state(state.code())
                .build();
        negotiation.updateStateTimestamp();
        assertThat(store.save(negotiation).succeeded()).isTrue();
        return negotiation.getId();
    }

    /** EDC's state machine meeting the negotiation in a guarded state: pending saved, the same object kept by the guard. */
    private ContractNegotiation heldByTheGuard(String id) {
        var leased = store.nextNotLeased(1, new Criterion("id", "=", id), isNotPending());
        assertThat(leased).hasSize(1);
        var held = leased.get(0);
        held.setPending(true);
        assertThat(store.save(held).succeeded()).isTrue();
        return held;
    }

    /** A writer that reads the negotiation afresh, transitions it and saves it, as the protocol service does. */
    private void transition(String id, Consumer<ContractNegotiation> change) {
        var negotiation = store.findByIdAndLease(id).getContent();
        change.accept(negotiation);
        assertThat(store.save(negotiation).succeeded()).isTrue();
    }

    private ContractNegotiationStates stateOf(String id) {
        return ContractNegotiationStates.from(edcStore.findById(id).getState());
    }

    /** A clock one millisecond later at every read, so each transition is strictly newer than the one before. */
    private static final class TickingClock extends Clock {

        private final AtomicLong millis = new AtomicLong(1_000_000);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return millis.incrementAndGet();
        }
    }
}
