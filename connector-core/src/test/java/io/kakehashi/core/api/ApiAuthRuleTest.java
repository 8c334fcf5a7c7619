package io.kakehashi.core.api;

import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiAuthRuleTest {

    @Test
    void check_whenTheContextHasNoAuthentication_shouldFailNamingItsKey() {
        var result = ApiAuthRule.check(ConfigFactory.fromMap(Map.of("web.http.management.auth.type", "tokenbased")), "auditor");

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("web.http.auditor.auth.type").contains("auditor API");
    }

    @Test
    void check_whenTheContextHasALongEnoughKey_shouldPass() {
        var config = ConfigFactory.fromMap(Map.of("web.http.auditor.auth.type", "tokenbased", "web.http.auditor.auth.key", "auditor-key-0123456789"));

        assertThat(ApiAuthRule.check(config, "auditor").succeeded()).isTrue();
    }

    @Test
    void distinctKeys_whenTwoContextsShareAKey_shouldFail() {
        var config = ConfigFactory.fromMap(Map.of("web.http.auditor.auth.key", "one-key-for-both-apis", "web.http.management.auth.key", "one-key-for-both-apis"));

        var result = ApiAuthRule.distinctKeys(config, "auditor", "management");

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("web.http.auditor.auth.key").contains("web.http.management.auth.key");
    }

    @Test
    void distinctKeys_whenTwoContextsShareAVaultAlias_shouldFail() {
        var config = ConfigFactory.fromMap(Map.of("web.http.auditor.auth.key.alias", "api-key", "web.http.management.auth.key.alias", "api-key"));

        assertThat(ApiAuthRule.distinctKeys(config, "auditor", "management").failed()).isTrue();
    }

    @Test
    void distinctKeys_whenTheKeysDiffer_shouldPass() {
        var config = ConfigFactory.fromMap(Map.of("web.http.auditor.auth.key", "auditor-key-0123456789", "web.http.management.auth.key", "operator-key-0123456789"));

        assertThat(ApiAuthRule.distinctKeys(config, "auditor", "management").succeeded()).isTrue();
    }
}
