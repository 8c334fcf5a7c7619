package io.kakehashi.core.metrics;

import io.kakehashi.core.api.ApiAuthRule;
import io.kakehashi.core.api.TokenBasedAuthenticationExtension;
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
    public static final String ENVIRONMENT_VARIABLE = "WEB_HTTP_METRICS_AUTH_KEY";
    private static final int MINIMUM_KEY_LENGTH = 16;

    private final String value;

    private MetricsApiKey(String value) {
        this.value = value;
    }

    /**
     * The configured key, an empty optional when none is configured (the endpoint is then not served), or a failure
     * that names the wrong setting and never contains a key.
     *
     * @param environment reads an environment variable ({@code System::getenv} outside tests)
     */
    public static Result<Optional<MetricsApiKey>> resolve(Config config, Vault vault, UnaryOperator<String> environment) {
        var type = config.getString(TYPE_KEY, null);
        if (!isBlank(type) && !TokenBasedAuthenticationExtension.TYPE.equals(type.trim())) {
            return Result.failure("Invalid setting '%s': the metrics endpoint is authenticated with '%s' only (its key through %s or '%s')"
                    .formatted(TYPE_KEY, TokenBasedAuthenticationExtension.TYPE, ENVIRONMENT_VARIABLE, KEY_ALIAS));
        }
        for (var other : new String[]{ "management", "auditor", "control" }) {
            var distinct = ApiAuthRule.distinctKeys(config, CONTEXT, other);
            if (distinct.failed()) {
                return Result.failure(distinct.getFailureDetail());
            }
        }
        var alias = config.getString(KEY_ALIAS, null);
        if (!isBlank(alias)) {
            var secret = vault.resolveSecret(alias.trim());
            if (isBlank(secret)) {
                return Result.failure("Invalid setting '%s': the vault holds no key under that alias".formatted(KEY_ALIAS));
            }
            return longEnough(secret, KEY_ALIAS);
        }
        var inline = config.getString(KEY, null);
        if (!isBlank(inline)) {
            // EDC merges the environment into its configuration; a value that is not the environment's came from a file
            if (!inline.equals(environment.apply(ENVIRONMENT_VARIABLE))) {
                return Result.failure("Invalid setting '%s': give the metrics key through the environment (%s) or the vault ('%s'), never in a settings file"
                        .formatted(KEY, ENVIRONMENT_VARIABLE, KEY_ALIAS));
            }
            return longEnough(inline, KEY);
        }
        if (!isBlank(type)) {
            return Result.failure("Missing setting '%s' (or '%s'): with '%s' set, the metrics key must be given"
                    .formatted(KEY, KEY_ALIAS, TYPE_KEY));
        }
        return Result.success(Optional.empty());
    }

    /** The key; never to be logged or put in a message. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "MetricsApiKey[configured]";
    }

    private static Result<Optional<MetricsApiKey>> longEnough(String key, String setting) {
        if (key.trim().length() < MINIMUM_KEY_LENGTH) {
            return Result.failure("Invalid setting '%s': the metrics key must be at least %d characters".formatted(setting, MINIMUM_KEY_LENGTH));
        }
        return Result.success(Optional.of(new MetricsApiKey(key)));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
