package io.kakehashi.core.web.readiness;

import org.eclipse.edc.spi.system.health.HealthCheckResult;
import org.eclipse.edc.spi.system.health.HealthCheckService;

import java.util.function.BooleanSupplier;

/**
 * Whether EDC's boot has finished: every extension initialised, prepared and started. EDC's runtime registers a
 * start-up status for itself only after the last extension's {@code start()} returned, so its presence, successful,
 * is the signal; before that no extension can know it is not the last one to start. Once true, it stays true
 * without asking again.
 * <p>
 * Thread-safe.
 */
public final class RuntimeStartup implements BooleanSupplier {

    /** The component name EDC 0.15.1's {@code BaseRuntime} reports its start-up status under. */
    static final String BOOT_COMPONENT = "BaseRuntime";

    private final HealthCheckService healthCheckService;
    private volatile boolean complete;

    public RuntimeStartup(HealthCheckService healthCheckService) {
        this.healthCheckService = healthCheckService;
    }

    @Override
    public boolean getAsBoolean() {
        if (!complete) {
            complete = healthCheckService.getStartupStatus().getComponentResults().stream()
                    .anyMatch(result -> BOOT_COMPONENT.equals(result.getComponent()) && result.succeeded());
        }
        return complete;
    }
}
