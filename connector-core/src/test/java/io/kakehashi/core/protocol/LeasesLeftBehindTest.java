package io.kakehashi.core.protocol;

import io.kakehashi.core.statemachine.LatestStateContractNegotiationStore;
import io.kakehashi.core.statemachine.LatestStateTransferProcessStore;
import org.eclipse.edc.connector.controlplane.contract.observe.ContractNegotiationObservableImpl;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractOfferMessage;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.defaults.storage.transferprocess.InMemoryTransferProcessStore;
import org.eclipse.edc.connector.controlplane.services.contractnegotiation.ContractNegotiationProtocolServiceImpl;
import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessProtocolService;
import org.eclipse.edc.connector.controlplane.services.transferprocess.TransferProcessProtocolServiceImpl;
import org.eclipse.edc.connector.controlplane.transfer.observe.TransferProcessObservableImpl;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferStartMessage;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.telemetry.Telemetry;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static io.kakehashi.core.protocol.MessageOrderFixtures.CONTEXT_ID;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PEER;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PEER_TOKEN;
import static io.kakehashi.core.protocol.MessageOrderFixtures.PROTOCOL;
import static io.kakehashi.core.protocol.MessageOrderFixtures.agreement;
import static io.kakehashi.core.protocol.MessageOrderFixtures.context;
import static io.kakehashi.core.protocol.MessageOrderFixtures.negotiation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.CONSUMER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZED;
import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates.STARTED;
import static org.eclipse.edc.spi.persistence.StateEntityStore.hasState;

/**
 * Leases EDC 0.15.1's protocol services take by id and leave behind: a message refused after the lease was taken, and
 * one whose id was already applied (answered as a success), keep the process leased until the lease expires, so that
 * this connector's own state machine cannot pick it up. Through the ordered services over the latest-state stores they
 * are let go once EDC's handling ends. Each case is shown with EDC's service alone on the same stores (the lease
 * stays) and through the wrapper (it is let go); EDC's in-memory stores lease as the SQL stores do.
 */
@ComponentTest
class LeasesLeftBehindTest {

    private final Monitor monitor = new Monitor() { };

    @Nested
    class Negotiations {

        private final InMemoryContractNegotiationStore stored = new InMemoryContractNegotiationStore(Clock.systemUTC(),
                CriterionOperatorRegistryImpl.ofDefaults());
        private final ContractNegotiationStore store = new LatestStateContractNegotiationStore(stored, monitor, () -> { });
        private final ContractNegotiationProtocolService edc = new ContractNegotiationProtocolServiceImpl(store, new NoopTransactionContext(),
                MessageOrderFixtures.validation(), offerId -> ServiceResult.notFound("no offers here"), MessageOrderFixtures.tokens(),
                new ContractNegotiationObservableImpl(), monitor, new Telemetry());
        private final ContractNegotiationProtocolService ordered = new OrderedContractNegotiationProtocolService(edc, store,
                new PendingTransitions(Duration.ofSeconds(1)), new SameAgreement(new com.fasterxml.jackson.databind.ObjectMapper()), monitor);

        private ContractOfferMessage offer(ContractNegotiation consumer) {
            return ContractOfferMessage.Builder.newInstance().id(UUID.randomUUID().toString())
                    .consumerPid(consumer.getId()).providerPid(consumer.getCorrelationId()).processId(consumer.getId())
                    .protocol(PROTOCOL).callbackAddress("http://peer.example/protocol")
                    .contractOffer(MessageOrderFixtures.offer()).build();
        }

        private boolean pickedUpInState(ContractNegotiation negotiation, ContractNegotiationStates state) {
            return stored.nextNotLeased(10, hasState(state.code())).stream().anyMatch(found -> found.getId().equals(negotiation.getId()));
        }

        @Test
        void offerRefusedAfterTheLease_edcAlone_leavesTheNegotiationLeased() {
            var consumer = negotiation(CONSUMER, AGREED, agreement("left-behind-1", "use"));
            store.save(consumer);

            var result = edc.notifyOffered(context(), offer(consumer), PEER_TOKEN);

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
            assertThat(pickedUpInState(consumer, AGREED)).as("EDC keeps the lease it took").isFalse();
        }

        @Test
        void offerRefusedAfterTheLease_isRefusedAndTheLeaseLetGo() {
            var consumer = negotiation(CONSUMER, AGREED, agreement("left-behind-2", "use"));
            store.save(consumer);

            var result = ordered.notifyOffered(context(), offer(consumer), PEER_TOKEN);

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
            assertThat(result.getFailureDetail()).contains("cannot be offered");
            assertThat(pickedUpInState(consumer, AGREED)).as("the state machine can take it up again").isTrue();
            assertThat(stored.findById(consumer.getId()).getState()).isEqualTo(AGREED.code());
        }

        @Test
        void offerFromWhomTheNegotiationIsNotWith_isRefusedAndTheLeaseLetGo() {
            var consumer = ContractNegotiation.Builder.newInstance()
                    .id(UUID.randomUUID().toString()).correlationId(UUID.randomUUID().toString())
                    .counterPartyId("did:web:someone-else.example").counterPartyAddress("http://someone-else.example/protocol")
                    .protocol(PROTOCOL).type(CONSUMER).participantContextId(CONTEXT_ID).state(FINALIZED.code())
                    .contractOffer(MessageOrderFixtures.offer()).contractAgreement(agreement("left-behind-3", "use")).build();
            store.save(consumer);

            var alone = edc.notifyOffered(context(), offer(consumer), PEER_TOKEN);
            assertThat(alone.reason()).isEqualTo(ServiceFailure.Reason.BAD_REQUEST);
            assertThat(pickedUpInState(consumer, FINALIZED)).as("EDC keeps the lease it took").isFalse();
            store.save(stored.findById(consumer.getId()));

            var result = ordered.notifyOffered(context(), offer(consumer), PEER_TOKEN);

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.BAD_REQUEST);
            assertThat(pickedUpInState(consumer, FINALIZED)).isTrue();
        }
    }

    @Nested
    class Transfers {

        private final InMemoryTransferProcessStore stored = new InMemoryTransferProcessStore(Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());
        private final TransferProcessStore store = new LatestStateTransferProcessStore(stored, monitor, () -> { });
        private final InMemoryContractNegotiationStore negotiations = new InMemoryContractNegotiationStore(Clock.systemUTC(),
                CriterionOperatorRegistryImpl.ofDefaults());
        private final TransferProcessProtocolService edc = new TransferProcessProtocolServiceImpl(store, new NoopTransactionContext(), negotiations,
                MessageOrderFixtures.validation(), MessageOrderFixtures.tokens(), null, new TransferProcessObservableImpl(), Clock.systemUTC(),
                monitor, new Telemetry(), null);
        private final TransferProcessProtocolService ordered = new OrderedTransferProcessProtocolService(edc, store,
                new PendingTransitions(Duration.ofSeconds(1)), monitor);
        private final String contractId;

        Transfers() {
            var agreement = agreement("left-behind-transfer", "use");
            negotiations.save(negotiation(CONSUMER, FINALIZED, agreement));
            contractId = agreement.getId();
        }

        /** A consumer's transfer STARTED by a start message with the given id. */
        private TransferProcess startedBy(String messageId) {
            var process = TransferProcess.Builder.newInstance()
                    .id(UUID.randomUUID().toString())
                    .correlationId(UUID.randomUUID().toString())
                    .type(TransferProcess.Type.CONSUMER)
                    .state(STARTED.code())
                    .protocol(PROTOCOL)
                    .counterPartyAddress("http://peer.example/protocol")
                    .contractId(contractId)
                    .assetId(MessageOrderFixtures.ASSET)
                    .transferType("HttpData-PULL")
                    .participantContextId(CONTEXT_ID)
                    .build();
            process.protocolMessageReceived(messageId);
            store.save(process);
            return process;
        }

        private static TransferStartMessage start(TransferProcess consumer, String messageId) {
            return TransferStartMessage.Builder.newInstance().id(messageId)
                    .consumerPid(consumer.getId()).providerPid(consumer.getCorrelationId()).processId(consumer.getId())
                    .protocol(PROTOCOL).counterPartyId(PEER)
                    .dataAddress(DataAddress.Builder.newInstance().type("HttpData").property("endpoint", "http://peer.example/data").build())
                    .build();
        }

        private boolean pickedUp(TransferProcess process) {
            return stored.nextNotLeased(10, hasState(STARTED.code())).stream().anyMatch(found -> found.getId().equals(process.getId()));
        }

        @Test
        void startRepeatedAfterALostAnswer_edcAlone_answersButLeavesTheTransferLeased() {
            var messageId = UUID.randomUUID().toString();
            var consumer = startedBy(messageId);

            var result = edc.notifyStarted(context(), start(consumer, messageId), PEER_TOKEN);

            assertThat(result.succeeded()).isTrue();
            assertThat(pickedUp(consumer)).as("EDC keeps the lease it took").isFalse();
        }

        @Test
        void startRepeatedAfterALostAnswer_isAnsweredAndTheLeaseLetGo() {
            var messageId = UUID.randomUUID().toString();
            var consumer = startedBy(messageId);

            var result = ordered.notifyStarted(context(), start(consumer, messageId), PEER_TOKEN);

            assertThat(result.succeeded()).as("%s", result.getFailureMessages()).isTrue();
            assertThat(pickedUp(consumer)).as("the state machine can take it up again").isTrue();
            assertThat(TransferProcessStates.from(stored.findById(consumer.getId()).getState())).isEqualTo(STARTED);
        }
    }
}
