package io.kakehashi.core.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationFinalized;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationRequested;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationTerminated;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NegotiationMetersTest {

    private static final long CREATED_AT = 1_700_000_000_000L;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, ContractNegotiation> stored = new HashMap<>();
    private final NegotiationMeters meters = new NegotiationMeters(registry, store(stored));

    @Test
    void on_whenANegotiationIsRequested_shouldCountTheStateWithoutTimingIt() {
        meters.on(envelope(event(ContractNegotiationRequested.Builder.newInstance(), "n-1"), CREATED_AT + 10));

        assertThat(registry.get(NegotiationMeters.TRANSITIONS).tag("state", "requested").counter().count()).isEqualTo(1.0);
        assertThat(registry.find(NegotiationMeters.DURATION).timer()).isNull();
    }

    @Test
    void on_whenANegotiationEnds_shouldTimeItFromItsCreationByRoleAndOutcome() {
        stored.put("n-1", negotiation("n-1", ContractNegotiation.Type.PROVIDER));
        stored.put("n-2", negotiation("n-2", ContractNegotiation.Type.CONSUMER));

        meters.on(envelope(event(finalized(), "n-1"), CREATED_AT + 2_500));
        meters.on(envelope(event(ContractNegotiationTerminated.Builder.newInstance(), "n-2"), CREATED_AT + 700));

        var finalized = registry.get(NegotiationMeters.DURATION).tags("role", "provider", "outcome", "finalized").timer();
        assertThat(finalized.count()).isEqualTo(1);
        assertThat(finalized.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2_500.0);
        var terminated = registry.get(NegotiationMeters.DURATION).tags("role", "consumer", "outcome", "terminated").timer();
        assertThat(terminated.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(700.0);
        assertThat(registry.get(NegotiationMeters.TRANSITIONS).tag("state", "finalized").counter().count()).isEqualTo(1.0);
    }

    @Test
    void on_whenTheNegotiationIsNoLongerStored_shouldStillCountTheTransition() {
        meters.on(envelope(event(finalized(), "gone"), CREATED_AT));

        assertThat(registry.get(NegotiationMeters.TRANSITIONS).tag("state", "finalized").counter().count()).isEqualTo(1.0);
        assertThat(registry.find(NegotiationMeters.DURATION).timer()).isNull();
    }

    @Test
    void on_shouldTagNeitherTheNegotiationNorTheCounterparty() {
        stored.put("n-secret-id", negotiation("n-secret-id", ContractNegotiation.Type.PROVIDER));

        meters.on(envelope(event(finalized(), "n-secret-id"), CREATED_AT + 1));

        registry.getMeters().forEach(meter -> meter.getId().getTags().forEach(tag ->
                assertThat(tag.getValue()).doesNotContain("n-secret-id").doesNotContain("did:web:peer")));
    }

    @Test
    void stateOf_shouldTakeTheLastPartOfTheEventName() {
        assertThat(NegotiationMeters.stateOf("contract.negotiation.agreed", "contract.negotiation.")).isEqualTo("agreed");
    }

    private static <B extends ContractNegotiationEvent.Builder<?, B>> ContractNegotiationEvent event(B builder, String id) {
        return builder.contractNegotiationId(id).counterPartyAddress("http://127.0.0.1:9/protocol").counterPartyId("did:web:peer")
                .protocol("dataspace-protocol-http:2025-1").build();
    }

    private static ContractNegotiationFinalized.Builder finalized() {
        return ContractNegotiationFinalized.Builder.newInstance().contractAgreement(ContractAgreement.Builder.newInstance()
                .id("agreement-1").providerId("did:web:provider").consumerId("did:web:peer").assetId("asset-1")
                .policy(Policy.Builder.newInstance().build()).build());
    }

    private static EventEnvelope<ContractNegotiationEvent> envelope(ContractNegotiationEvent event, long at) {
        return EventEnvelope.Builder.newInstance().id(UUID.randomUUID().toString()).at(at).payload(event).build();
    }

    private static ContractNegotiation negotiation(String id, ContractNegotiation.Type type) {
        return ContractNegotiation.Builder.newInstance().id(id).type(type).counterPartyId("did:web:peer")
                .counterPartyAddress("http://127.0.0.1:9/protocol").protocol("dataspace-protocol-http:2025-1")
                .createdAt(CREATED_AT).build();
    }

    /** The one method the meters use, findById; any other call fails the test. */
    private static ContractNegotiationStore store(Map<String, ContractNegotiation> negotiations) {
        return (ContractNegotiationStore) Proxy.newProxyInstance(ContractNegotiationStore.class.getClassLoader(),
                new Class<?>[]{ContractNegotiationStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findById")) {
                        return negotiations.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
