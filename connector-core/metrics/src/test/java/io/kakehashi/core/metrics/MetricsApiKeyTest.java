package io.kakehashi.core.metrics;

import io.kakehashi.testfixtures.MapVault;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsApiKeyTest {

    private static final String KEY = "metrics-key-0123456789abcdef";

    private final MapVault vault = new MapVault();
    private final Map<String, String> environment = new HashMap<>();

    @Test
    void resolve_whenNoKeyIsGiven_shouldLeaveTheEndpointOff() {
        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of()), vault, environment::get);

        assertThat(key.succeeded()).isTrue();
        assertThat(key.getContent()).isEmpty();
    }

    @Test
    void resolve_whenTheKeyComesFromTheEnvironment_shouldUseIt() {
        environment.put(MetricsApiKey.ENVIRONMENT_VARIABLE, KEY);

        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.KEY, KEY)), vault, environment::get);

        assertThat(key.getContent()).hasValueSatisfying(k -> assertThat(k.value()).isEqualTo(KEY));
    }

    @Test
    void resolve_whenTheKeyIsInTheSettingsFile_shouldFailNamingTheSettingButNotTheKey() {
        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.KEY, KEY)), vault, environment::get);

        assertThat(key.failed()).isTrue();
        assertThat(key.getFailureDetail()).contains(MetricsApiKey.KEY, MetricsApiKey.ENVIRONMENT_VARIABLE).doesNotContain(KEY);
    }

    @Test
    void resolve_whenTheKeyIsInTheVault_shouldReadItUnderTheAlias() {
        vault.secrets.put("metrics-scrape-key", KEY);

        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.KEY_ALIAS, "metrics-scrape-key")), vault, environment::get);

        assertThat(key.getContent()).hasValueSatisfying(k -> assertThat(k.value()).isEqualTo(KEY));
    }

    @Test
    void resolve_whenTheVaultHasNothingUnderTheAlias_shouldFail() {
        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.KEY_ALIAS, "missing")), vault, environment::get);

        assertThat(key.failed()).isTrue();
        assertThat(key.getFailureDetail()).contains(MetricsApiKey.KEY_ALIAS);
    }

    @Test
    void resolve_whenTheKeyIsShort_shouldFail() {
        environment.put(MetricsApiKey.ENVIRONMENT_VARIABLE, "short");

        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.KEY, "short")), vault, environment::get);

        assertThat(key.failed()).isTrue();
        assertThat(key.getFailureDetail()).contains("at least 16 characters").doesNotContain("'short'");
    }

    @Test
    void resolve_whenTheKeyIsTheManagementKey_shouldFail() {
        environment.put(MetricsApiKey.ENVIRONMENT_VARIABLE, KEY);

        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.KEY, KEY, "web.http.management.auth.key", KEY)),
                vault, environment::get);

        assertThat(key.failed()).isTrue();
        assertThat(key.getFailureDetail()).contains("web.http.management.auth.key").doesNotContain(KEY);
    }

    @Test
    void resolve_whenAnotherAuthenticationTypeIsSet_shouldFail() {
        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.TYPE_KEY, "delegated")), vault, environment::get);

        assertThat(key.failed()).isTrue();
        assertThat(key.getFailureDetail()).contains(MetricsApiKey.TYPE_KEY);
    }

    @Test
    void resolve_whenTheTypeIsSetWithoutAKey_shouldFail() {
        var key = MetricsApiKey.resolve(ConfigFactory.fromMap(Map.of(MetricsApiKey.TYPE_KEY, "tokenbased")), vault, environment::get);

        assertThat(key.failed()).isTrue();
        assertThat(key.getFailureDetail()).contains("Missing setting").contains(MetricsApiKey.KEY);
    }
}
