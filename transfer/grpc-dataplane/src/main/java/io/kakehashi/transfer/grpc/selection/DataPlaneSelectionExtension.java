package io.kakehashi.transfer.grpc.selection;

import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.connector.dataplane.selector.service.EmbeddedDataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.selector.spi.DataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.selector.spi.store.DataPlaneInstanceStore;
import org.eclipse.edc.connector.dataplane.selector.spi.strategy.SelectionStrategyRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.time.Clock;
import java.time.Duration;

/**
 * Provides the control plane's {@link DataPlaneSelectorService}: EDC's embedded selector wrapped in an
 * {@link AwaitingDataPlaneSelector}, so that a transfer the state machine picks up right after a restart waits for
 * the embedded data plane's registration instead of ending TERMINATED with "No dataplane found". Replaces EDC's
 * default provider of the same service.
 */
@Extension(DataPlaneSelectionExtension.NAME)
public class DataPlaneSelectionExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi data-plane selection";
    public static final String REGISTRATION_WAIT = "kakehashi.transfer.dataplane.registration-wait";
    private static final Duration POLL = Duration.ofMillis(100);

    @Setting(key = REGISTRATION_WAIT, defaultValue = "PT30S",
            description = "For how long after start (ISO 8601 duration) a transfer that finds no data plane waits for one to register; PT0S waits not at all")
    private String registrationWait;

    @Inject
    private DataPlaneInstanceStore instances;
    @Inject
    private SelectionStrategyRegistry strategies;
    @Inject
    private TransactionContext transactions;
    @Inject
    private Clock clock;

    @Override
    public String name() {
        return NAME;
    }

    @Provider
    public DataPlaneSelectorService dataPlaneSelectorService() {
        return new AwaitingDataPlaneSelector(new EmbeddedDataPlaneSelectorService(instances, strategies, transactions), clock,
                wait(registrationWait), POLL, AwaitingDataPlaneSelector.Pause.sleeping());
    }

    static Duration wait(String value) {
        return SettingValues.require(SettingValues.nonNegativeDuration(REGISTRATION_WAIT, value));
    }
}
