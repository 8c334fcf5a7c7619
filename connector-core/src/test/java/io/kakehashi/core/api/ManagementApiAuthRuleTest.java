package io.kakehashi.core.api;

import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementApiAuthRuleTest {

    @Test
    void check_whenNoAuthenticationType_shouldFailNamingTheKey() {
        var result = ManagementApiAuthRule.check(ConfigFactory.fromMap(Map.of("web.http.management.port", "8181")));

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("web.http.management.auth.type");
    }

    @Test
    void check_whenTokenBasedWithoutKey_shouldFailNamingTheKey() {
        var result = ManagementApiAuthRule.check(ConfigFactory.fromMap(Map.of("web.http.management.auth.type", "tokenbased")));

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("web.http.management.auth.key");
    }

    @Test
    void check_whenKeyIsShort_shouldFail() {
        var result = ManagementApiAuthRule.check(ConfigFactory.fromMap(Map.of(
                "web.http.management.auth.type", "tokenbased",
                "web.http.management.auth.key", "password")));

        assertThat(result.getFailureDetail()).contains("at least 16 characters");
    }

    @Test
    void check_whenKeyGiven_shouldSucceed() {
        assertThat(ManagementApiAuthRule.check(ConfigFactory.fromMap(Map.of(
                "web.http.management.auth.type", "tokenbased",
                "web.http.management.auth.key", "a-long-enough-management-key"))).succeeded()).isTrue();
    }

    @Test
    void check_whenKeyIsAVaultAlias_shouldSucceed() {
        assertThat(ManagementApiAuthRule.check(ConfigFactory.fromMap(Map.of(
                "web.http.management.auth.type", "tokenbased",
                "web.http.management.auth.key.alias", "management-api-key"))).succeeded()).isTrue();
    }

    @Test
    void check_whenDelegatedAuthentication_shouldSucceed() {
        assertThat(ManagementApiAuthRule.check(ConfigFactory.fromMap(Map.of(
                "web.http.management.auth.type", "delegated"))).succeeded()).isTrue();
    }
}
