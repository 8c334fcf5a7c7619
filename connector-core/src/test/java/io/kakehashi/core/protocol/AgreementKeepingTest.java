package io.kakehashi.core.protocol;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.message.RemoteMessageDispatcher;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.response.StatusResult;
import org.eclipse.edc.spi.types.domain.message.RemoteMessage;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.kakehashi.core.protocol.MessageOrderFixtures.PROTOCOL;
import static io.kakehashi.core.protocol.MessageOrderFixtures.agreement;
import static io.kakehashi.core.protocol.MessageOrderFixtures.negotiation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.CONSUMER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.PROVIDER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREEING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFYING;

/**
 * A provider's agreement survives what EDC 0.15.1 would lose it to: a failed send (EDC saves the negotiation back
 * in AGREEING without it) and a kill before the consumer's answer (nothing saved), so the next attempt sends the same
 * agreement, not a new one with another id.
 */
@ComponentTest
class AgreementKeepingTest {

    private final InMemoryContractNegotiationStore edcStore = new InMemoryContractNegotiationStore(Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults());
    private final AgreementKeepingContractNegotiationStore store = new AgreementKeepingContractNegotiationStore(edcStore);
    private final List<RemoteMessage> sent = new ArrayList<>();
    private final RemoteMessageDispatcherRegistry registry = new AgreementRecordingDispatcherRegistry(new RemoteMessageDispatcherRegistry() {
        @Override
        public void register(String protocol, RemoteMessageDispatcher dispatcher) {
        }

        @Override
        public <T> CompletableFuture<StatusResult<T>> dispatch(String participantContextId, Class<T> responseType, RemoteMessage message) {
            sent.add(message);
            // the consumer is down: the send fails, as after EDC's HTTP retries
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        }
    }, store, new NoopTransactionContext(), new Monitor() { });

    /** What EDC's provider state machine holds while it sends: the negotiation leased, the agreement in memory only. */
    private ContractNegotiation leasedForSending(ContractNegotiationStates state, ContractNegotiation.Type type) {
        var negotiation = negotiation(type, state, null);
        edcStore.save(negotiation);
        var leased = store.nextNotLeased(1, new Criterion("id", "=", negotiation.getId()));
        assertThat(leased).hasSize(1);
        return leased.get(0);
    }

    private ContractAgreementMessage agreementMessage(ContractNegotiation provider, String agreementId) {
        return ContractAgreementMessage.Builder.newInstance()
                .providerPid(provider.getId()).consumerPid(provider.getCorrelationId()).processId(provider.getCorrelationId())
                .protocol(PROTOCOL).contractAgreement(agreement(agreementId, "use")).callbackAddress("http://self.example/protocol").build();
    }

    @Test
    void agreement_whenSentAndTheSendFails_shouldStaySavedThroughEdcsSaveWithoutIt() {
        var inMemory = leasedForSending(AGREEING, PROVIDER);

        registry.dispatch("ctx", Object.class, agreementMessage(inMemory, "first-agreement"));
        assertThat(store.findById(inMemory.getId()).getContractAgreement().getAgreementId()).isEqualTo("first-agreement");

        // EDC's onFailure: transitionToAgreeing(n) saves its in-memory copy, which never held the agreement
        inMemory.transitionAgreeing();
        store.save(inMemory);

        var reloaded = store.findById(inMemory.getId());
        assertThat(reloaded.getContractAgreement()).isNotNull();
        assertThat(reloaded.getContractAgreement().getAgreementId()).isEqualTo("first-agreement");
        assertThat(sent).hasSize(1);
    }

    @Test
    void agreement_whenSent_shouldLeaveTheNegotiationLeasedByTheSender() {
        var inMemory = leasedForSending(AGREEING, PROVIDER);

        registry.dispatch("ctx", Object.class, agreementMessage(inMemory, "leased-agreement"));

        // the state machine still owns it: the state machine's own query for work does not hand it out again
        assertThat(store.nextNotLeased(10, new Criterion("id", "=", inMemory.getId()))).isEmpty();
    }

    @Test
    void agreement_whenAlreadySaved_shouldNotBeReplacedByAnotherOne() {
        var inMemory = leasedForSending(AGREEING, PROVIDER);
        registry.dispatch("ctx", Object.class, agreementMessage(inMemory, "first-agreement"));

        registry.dispatch("ctx", Object.class, agreementMessage(store.findById(inMemory.getId()), "second-agreement"));

        assertThat(store.findById(inMemory.getId()).getContractAgreement().getAgreementId()).isEqualTo("first-agreement");
    }

    @Test
    void messages_forOtherNegotiations_shouldPassThroughUnsaved() {
        var consumer = leasedForSending(VERIFYING, CONSUMER);

        registry.dispatch("ctx", Object.class, agreementMessage(consumer, "not-ours"));

        assertThat(store.findById(consumer.getId()).getContractAgreement()).isNull();
        assertThat(sent).hasSize(1);
    }
}
