package io.kakehashi.core;

import org.awaitility.Awaitility;
import org.eclipse.edc.connector.dataplane.selector.spi.DataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstanceStates;
import org.eclipse.edc.junit.extensions.RuntimeExtension;

import java.time.Duration;

/**
 * For test runtimes with EDC's own data-plane selector (connector-core's tests run without the gRPC data plane's
 * waiting selector): it answers "No dataplane found", which ends a transfer TERMINATED, until the embedded data plane
 * was found available, and woken state machines reach a transfer's start within a second of the runtime's start.
 */
public final class AvailableDataPlanes {

    private AvailableDataPlanes() {
    }

    /** Waits until the runtime's selector knows an available data plane. */
    public static void await(RuntimeExtension runtime) {
        var selector = runtime.getService(DataPlaneSelectorService.class);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> selector.getAll().getContent().stream()
                .anyMatch(instance -> instance.getState() == DataPlaneInstanceStates.AVAILABLE.code()));
    }
}
