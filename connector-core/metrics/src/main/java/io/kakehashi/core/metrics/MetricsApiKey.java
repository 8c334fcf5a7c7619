package io.kakehashi.core.metrics;

import io.kakehashi.core.api.ApiAuthRule;
import io.kakehashi.core.api.OwnContextKey;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.configuration.Config;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The key a scraper presents in {@code x-api-key} to read the metrics ({@value #CONTEXT} web context): from the vault
 * ({@code web.http.metrics.auth.key.alias}) or from the environment ({@code WEB_HTTP_METRICS_AUTH_KEY}), never from a
 * settings file, at least 16 characters, and different from the management, auditor and control keys. Without
 * either the endpoint is off: no key is ever made up for it (docs/decisions/0028). Immutable and thread-safe.
 */
public final class MetricsApiKey {

    public static final String CONTEXT = "metrics";
    public static final String TYPE_KEY = ApiAuthRule.typeKey(CONTEXT);
    public static final String KEY = ApiAuthRule.apiKey(CONTEXT);
    public static final String KEY_ALIAS = ApiAuthRule.apiKeyAlias(CONTEXT);
    public static final String ENVIRONMENT_VARIABLE = OwnContextKey.environmentVariable(CONTEXT);

    private final String value;

    private MetricsApiKey(String value) {
        this.value = value;
    }

    /**
     * The configured key ({@link OwnContextKey}), an empty optional when none is configured (the endpoint is then not
     * served), or a failure that names the wrong setting and never contains a key.
     *
     * @param environment reads an environment variable ({@code System::getenv} outside tests)
     */
    public static Result<Optional<MetricsApiKey>> resolve(Config config, Vault vault, UnaryOperator<String> environment) {
        return OwnContextKey.configured(config, vault, environment, CONTEXT, "the metrics endpoint", "management", "auditor", "control")
                .map(configured -> configured.map(MetricsApiKey::new));
    }

    /** The key; never to be logged or put in a message. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "MetricsApiKey[configured]";
    }
}
