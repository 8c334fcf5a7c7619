package io.kakehashi.core.statemachine;

import io.kakehashi.core.persistence.IndexedInMemoryDataPlaneStore;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.DataFlowStates;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data flow's end is work for the data plane's state machine (telling the control plane), and EDC publishes no event
 * for it: the store wakes the state machine when a flow is saved in any state but STARTED, whose saves are the
 * renewals of running flows. Before, a compute job's flow waited COMPLETED for the next idle iteration (1.9 s of a
 * federated round in the sample).
 */
@ComponentTest
class LatestStateDataPlaneStoreTest {

    private final AtomicInteger wakeUps = new AtomicInteger();
    private final LatestStateDataPlaneStore store = new LatestStateDataPlaneStore(
            new IndexedInMemoryDataPlaneStore("lease-test", Clock.systemUTC(), CriterionOperatorRegistryImpl.ofDefaults()), wakeUps::incrementAndGet);

    @Test
    void save_whenAFlowEnds_shouldWakeTheStateMachine() {
        var flow = flowIn(DataFlowStates.STARTED);
        store.save(flow);
        assertThat(wakeUps).as("a started flow's save (a renewal) wakes nothing").hasValue(0);

        flow.transitToCompleted();
        store.save(flow);

        assertThat(wakeUps).as("the completed flow is work").hasValue(1);
    }

    @Test
    void save_whenAFlowIsReceived_shouldWakeTheStateMachine() {
        store.save(flowIn(DataFlowStates.RECEIVED));

        assertThat(wakeUps).hasValue(1);
    }

    private static DataFlow flowIn(DataFlowStates state) {
        return DataFlow.Builder.newInstance().id(UUID.randomUUID().toString())
                .source(DataAddress.Builder.newInstance().type("HttpData").build())
                .destination(DataAddress.Builder.newInstance().type("HttpData").build())
                .state(state.code())
                .build();
    }
}
