package io.kakehashi.core.web.guard;

import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestGuardSettingsTest {

    private final List<String> warnings = new ArrayList<>();
    private final Monitor monitor = new Monitor() {
        @Override
        public void warning(String message, Throwable... errors) {
            warnings.add(message);
        }
    };

    private static Map<String, String> contexts() {
        var config = new HashMap<String, String>();
        config.put("web.http.port", "8080");
        config.put("web.http.path", "/api");
        config.put("web.http.management.port", "8081");
        config.put("web.http.management.path", "/management");
        config.put("web.http.protocol.port", "8082");
        config.put("web.http.protocol.path", "/protocol");
        return config;
    }

    @Test
    void from_withoutGuardSettings_shouldGuardEveryContextWithTheDefaults() {
        var settings = RequestGuardSettings.from(ConfigFactory.fromMap(contexts()), monitor);

        assertThat(settings.limits()).containsOnlyKeys("default", "management", "protocol");
        assertThat(settings.limit("protocol").forPath("/2025-1/catalog/request")).isEqualTo(4L * 1024 * 1024);
        assertThat(settings.limit("protocol").forPath("/2025-1/negotiations/request")).isEqualTo(4L * 1024 * 1024);
        // a compute job sent to a provider carries its model inside the DSP transfer request's destination
        assertThat(settings.limit("protocol").forPath("/2025-1/transfers/request")).isGreaterThan(64L * 1024 * 1024 * 4 / 3);
        assertThat(settings.limit("protocol").forPath("/transfers/request")).isGreaterThan(64L * 1024 * 1024 * 4 / 3);
        assertThat(settings.limit("management").forPath("v3/assets")).isEqualTo(4L * 1024 * 1024);
        // a 64 MiB model, base64 in a JSON job
        assertThat(settings.limit("management").forPath("/v3/kakehashi/compute/remote-jobs")).isGreaterThan(64L * 1024 * 1024 * 4 / 3);
        assertThat(settings.maxJsonDepth()).isEqualTo(100);
        assertThat(settings.maxIdLength()).isEqualTo(512);
    }

    @Test
    void from_withLimitsPerContextAndPath_shouldApplyThem() {
        var config = contexts();
        config.put("kakehashi.web.guard.max-body-bytes", "1000");
        config.put("kakehashi.web.guard.protocol.max-body-bytes", "500");
        config.put("kakehashi.web.guard.management.large-body-paths", "/v3/big/, /v3/bigger/");
        config.put("kakehashi.web.guard.management.large-body-bytes", "9000");
        config.put("kakehashi.ai.evaluation.max-model-bytes", "1");

        var settings = RequestGuardSettings.from(ConfigFactory.fromMap(config), monitor);

        assertThat(settings.limit("default").forPath("/x")).isEqualTo(1000);
        assertThat(settings.limit("protocol").forPath("/x")).isEqualTo(500);
        assertThat(settings.limit("management").forPath("/v3/bigger/1")).isEqualTo(9000);
        assertThat(settings.limit("management").forPath("/v3/kakehashi/compute/remote-jobs")).isEqualTo(1000);
    }

    @Test
    void from_withTheModelLimitRaised_shouldRaiseTheComputePathsLimit() {
        var config = contexts();
        config.put("kakehashi.ai.evaluation.max-model-bytes", String.valueOf(300L * 1024 * 1024));

        var settings = RequestGuardSettings.from(ConfigFactory.fromMap(config), monitor);

        assertThat(settings.limit("management").forPath("/v3/kakehashi/compute/remote-jobs")).isGreaterThan(400L * 1024 * 1024);
    }

    @Test
    void from_withTheModelLimitUnderItsFormerKey_shouldStillRaiseTheLimit_andWarn() {
        var config = contexts();
        config.put("kakehashi.ai.evaluation.maxModelBytes", String.valueOf(300L * 1024 * 1024));

        var settings = RequestGuardSettings.from(ConfigFactory.fromMap(config), monitor);

        assertThat(settings.limit("management").forPath("/v3/kakehashi/compute/remote-jobs")).isGreaterThan(400L * 1024 * 1024);
        assertThat(warnings).singleElement().asString()
                .contains("'kakehashi.ai.evaluation.maxModelBytes'", "'kakehashi.ai.evaluation.max-model-bytes'");
    }

    @Test
    void from_withABadValue_shouldFailNamingTheKey() {
        var config = contexts();
        config.put("kakehashi.web.guard.protocol.max-body-bytes", "lots");
        assertThatThrownBy(() -> RequestGuardSettings.from(ConfigFactory.fromMap(config), monitor))
                .isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.web.guard.protocol.max-body-bytes");

        var negative = contexts();
        negative.put("kakehashi.web.guard.max-json-depth", "0");
        assertThatThrownBy(() -> RequestGuardSettings.from(ConfigFactory.fromMap(negative), monitor))
                .isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.web.guard.max-json-depth");

        var relative = contexts();
        relative.put("kakehashi.web.guard.management.large-body-paths", "v3/x");
        assertThatThrownBy(() -> RequestGuardSettings.from(ConfigFactory.fromMap(relative), monitor))
                .isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.web.guard.management.large-body-paths");
    }
}
