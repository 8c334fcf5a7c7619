package io.kakehashi.core.api;

import io.kakehashi.core.vault.KeystoreVault;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class ControlApiKeyTest {

    private static final String KEY = "control-key-0123456789";
    private static final UnaryOperator<String> NO_ENVIRONMENT = name -> null;

    @TempDir
    Path dir;

    private KeystoreVault vault() {
        return KeystoreVault.open(dir.resolve("vault.p12"), "vault-password".toCharArray()).getContent();
    }

    private org.eclipse.edc.spi.result.Result<ControlApiKey> resolve(Map<String, String> settings, UnaryOperator<String> environment) {
        return ControlApiKey.resolve(ConfigFactory.fromMap(settings), vault(), environment, new SecureRandom());
    }

    @Nested
    class WithoutAConfiguredKey {

        @Test
        void resolve_shouldMakeALongRandomKey() {
            var first = resolve(Map.of(), NO_ENVIRONMENT).getContent();
            var second = resolve(Map.of(), NO_ENVIRONMENT).getContent();

            assertThat(first.generated()).isTrue();
            assertThat(first.value()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(second.value());
            assertThat(first.toString()).doesNotContain(first.value());
        }

        @Test
        void resolve_whenTheTypeIsSetWithoutAKey_shouldFailNamingTheKey() {
            var result = resolve(Map.of("web.http.control.auth.type", "tokenbased"), NO_ENVIRONMENT);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("web.http.control.auth.key");
        }
    }

    @Nested
    class FromTheEnvironment {

        @Test
        void resolve_whenTheKeyComesFromTheEnvironment_shouldUseIt() {
            var result = resolve(Map.of("web.http.control.auth.key", KEY), name -> "WEB_HTTP_CONTROL_AUTH_KEY".equals(name) ? KEY : null);

            assertThat(result.getContent().value()).isEqualTo(KEY);
            assertThat(result.getContent().generated()).isFalse();
        }

        @Test
        void resolve_whenTheKeyIsOnlyInTheSettings_shouldFailWithoutShowingIt() {
            var result = resolve(Map.of("web.http.control.auth.key", KEY), NO_ENVIRONMENT);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("web.http.control.auth.key").contains("WEB_HTTP_CONTROL_AUTH_KEY")
                    .doesNotContain(KEY);
        }

        @Test
        void resolve_whenTheKeyIsShort_shouldFail() {
            var result = resolve(Map.of("web.http.control.auth.key", "short"), name -> "short");

            assertThat(result.getFailureDetail()).contains("at least 16");
        }

        @Test
        void resolve_whenTheKeyIsTheManagementKey_shouldFail() {
            var result = resolve(Map.of("web.http.control.auth.key", KEY, "web.http.management.auth.key", KEY), name -> KEY);

            assertThat(result.getFailureDetail()).contains("must differ from 'web.http.management.auth.key'").doesNotContain(KEY);
        }
    }

    @Nested
    class FromTheVault {

        @Test
        void resolve_whenTheAliasHoldsAKey_shouldUseIt() {
            vault().storeSecret("control-api-key", KEY);

            var result = resolve(Map.of("web.http.control.auth.key.alias", "control-api-key"), NO_ENVIRONMENT);

            assertThat(result.getContent().value()).isEqualTo(KEY);
        }

        @Test
        void resolve_whenTheAliasHoldsNothing_shouldFailNamingTheSetting() {
            var result = resolve(Map.of("web.http.control.auth.key.alias", "missing"), NO_ENVIRONMENT);

            assertThat(result.getFailureDetail()).contains("web.http.control.auth.key.alias");
        }
    }

    @Test
    void resolve_whenAnotherAuthenticationType_shouldFail() {
        var settings = new HashMap<String, String>();
        settings.put("web.http.control.auth.type", "delegated");

        var result = resolve(settings, NO_ENVIRONMENT);

        assertThat(result.getFailureDetail()).contains("web.http.control.auth.type").contains("tokenbased");
    }
}
