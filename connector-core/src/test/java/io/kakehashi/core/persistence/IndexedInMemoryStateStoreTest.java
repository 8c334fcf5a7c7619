package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.query.PropertyLookup;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.REQUESTED;
import static org.eclipse.edc.spi.persistence.StateEntityStore.hasState;
import static org.eclipse.edc.spi.persistence.StateEntityStore.isNotPending;

/** A state machine's look for work reads the entities in the state it asks for, not every entity stored. */
class IndexedInMemoryStateStoreTest {

    private final AtomicInteger lookups = new AtomicInteger();
    private final CriterionOperatorRegistryImpl registry = registryCountingLookups();
    private final IndexedInMemoryContractNegotiationStore store = new IndexedInMemoryContractNegotiationStore("holder", Clock.systemUTC(), registry);

    private CriterionOperatorRegistryImpl registryCountingLookups() {
        var registry = (CriterionOperatorRegistryImpl) CriterionOperatorRegistryImpl.ofDefaults();
        registry.registerPropertyLookup((PropertyLookup) (key, object) -> {
            lookups.incrementAndGet();
            return null;
        });
        return registry;
    }

    @Test
    void nextNotLeased_shouldTestOnlyTheEntitiesInTheStateAskedFor() {
        for (var i = 0; i < 1_000; i++) {
            store.save(negotiation(FINALIZED.code()));
        }
        var requested = negotiation(REQUESTED.code());
        store.save(requested);

        var next = store.nextNotLeased(5, hasState(REQUESTED.code()), isNotPending());

        assertThat(next).extracting(ContractNegotiation::getId).containsExactly(requested.getId());
        assertThat(lookups.get()).as("property lookups for the other criteria").isEqualTo(1);
        assertThat(store.nextNotLeased(5, hasState(REQUESTED.code()))).as("leased by the first look").isEmpty();
    }

    @Test
    void save_shouldMoveAnEntityToItsNewState() {
        var negotiation = negotiation(REQUESTED.code());
        store.save(negotiation);
        var leased = store.nextNotLeased(1, hasState(REQUESTED.code())).get(0);

        leased.transitionAgreeing();
        store.save(leased);

        assertThat(store.nextNotLeased(1, hasState(REQUESTED.code()))).isEmpty();
        assertThat(store.nextNotLeased(1, hasState(leased.getState()))).extracting(ContractNegotiation::getId).containsExactly(negotiation.getId());
    }

    private static ContractNegotiation negotiation(int state) {
        return ContractNegotiation.Builder.newInstance().id(UUID.randomUUID().toString()).counterPartyId("peer")
                .counterPartyAddress("http://peer.example/dsp").protocol("dataspace-protocol-http:2025-1").type(ContractNegotiation.Type.PROVIDER).state(state).build();
    }
}
