package io.kakehashi.core.web.readiness;

import org.eclipse.edc.spi.system.health.HealthCheckService;
import org.eclipse.edc.spi.system.health.HealthStatus;
import org.eclipse.edc.spi.system.health.LivenessProvider;
import org.eclipse.edc.spi.system.health.ReadinessProvider;
import org.eclipse.edc.spi.system.health.StartupStatusProvider;
import org.eclipse.edc.spi.system.health.HealthCheckResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeStartupTest {

    @Test
    void getAsBoolean_whenOnlyOtherComponentsReport_shouldBeFalse() {
        var health = new StartupStatuses();
        health.addStartupStatusProvider(() -> HealthCheckResult.Builder.newInstance().component("some extension").success().build());

        assertThat(new RuntimeStartup(health).getAsBoolean()).isFalse();
    }

    @Test
    void getAsBoolean_whenTheBootReportsFailure_shouldBeFalse() {
        var health = new StartupStatuses();
        health.addStartupStatusProvider(() -> HealthCheckResult.Builder.newInstance().component(RuntimeStartup.BOOT_COMPONENT).failure("starting").build());

        assertThat(new RuntimeStartup(health).getAsBoolean()).isFalse();
    }

    @Test
    void getAsBoolean_whenTheBootReportsSuccess_shouldBeTrueAndStayTrue() {
        var health = new StartupStatuses();
        var startup = new RuntimeStartup(health);
        assertThat(startup.getAsBoolean()).isFalse();

        health.addStartupStatusProvider(() -> HealthCheckResult.Builder.newInstance().component(RuntimeStartup.BOOT_COMPONENT).success().build());

        assertThat(startup.getAsBoolean()).isTrue();
    }

    /** The start-up half of a health-check service, as EDC's asks its providers on every call. */
    private static final class StartupStatuses implements HealthCheckService {
        private final List<StartupStatusProvider> providers = new CopyOnWriteArrayList<>();

        @Override
        public void addStartupStatusProvider(StartupStatusProvider provider) {
            providers.add(provider);
        }

        @Override
        public HealthStatus getStartupStatus() {
            return new HealthStatus(providers.stream().map(StartupStatusProvider::get).toList());
        }

        @Override
        public void addLivenessProvider(LivenessProvider provider) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addReadinessProvider(ReadinessProvider provider) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HealthStatus isLive() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HealthStatus isReady() {
            throw new UnsupportedOperationException();
        }
    }
}
