package io.kakehashi.core.api;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.configuration.Config;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * The key of the control API ({@value #CONTEXT} web context): from the vault ({@code web.http.control.auth.key.alias})
 * or from the environment ({@code WEB_HTTP_CONTROL_AUTH_KEY}), never from a settings file; when neither is given,
 * a random key made for this process, which only the connector's own components know (in the launcher every caller
 * of the control API is in the same process; see docs/decisions/0017). Immutable and thread-safe.
 */
public final class ControlApiKey {

    public static final String CONTEXT = "control";
    public static final String TYPE_KEY = ApiAuthRule.typeKey(CONTEXT);
    public static final String KEY = ApiAuthRule.apiKey(CONTEXT);
    public static final String KEY_ALIAS = ApiAuthRule.apiKeyAlias(CONTEXT);
    public static final String ENVIRONMENT_VARIABLE = "WEB_HTTP_CONTROL_AUTH_KEY";
    private static final int GENERATED_KEY_BYTES = 32;

    private final String value;
    private final boolean generated;

    private ControlApiKey(String value, boolean generated) {
        this.value = value;
        this.generated = generated;
    }

    /**
     * Resolves the key from the configuration, the vault and the environment, or makes one; a failure names the
     * setting that is wrong and never contains a key.
     *
     * @param environment reads an environment variable ({@code System::getenv} outside tests)
     */
    public static Result<ControlApiKey> resolve(Config config, Vault vault, UnaryOperator<String> environment, SecureRandom random) {
        var type = config.getString(TYPE_KEY, null);
        if (!isBlank(type) && !TokenBasedAuthenticationExtension.TYPE.equals(type.trim())) {
            return Result.failure("Invalid setting '%s': the control API is authenticated with '%s' only (its key through %s or '%s')"
                    .formatted(TYPE_KEY, TokenBasedAuthenticationExtension.TYPE, ENVIRONMENT_VARIABLE, KEY_ALIAS));
        }
        var distinct = ApiAuthRule.distinctKeys(config, CONTEXT, "management")
                .compose(ok -> ApiAuthRule.distinctKeys(config, CONTEXT, "auditor"));
        if (distinct.failed()) {
            return distinct.mapFailure();
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
                return Result.failure("Invalid setting '%s': give the control API key through the environment (%s) or the vault ('%s'), never in a settings file"
                        .formatted(KEY, ENVIRONMENT_VARIABLE, KEY_ALIAS));
            }
            return longEnough(inline, KEY);
        }
        if (!isBlank(type)) {
            return Result.failure("Missing setting '%s' (or '%s'): with '%s' set, the control API key must be given"
                    .formatted(KEY, KEY_ALIAS, TYPE_KEY));
        }
        var bytes = new byte[GENERATED_KEY_BYTES];
        random.nextBytes(bytes);
        return Result.success(new ControlApiKey(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true));
    }

    /** The key; never to be logged or put in a message. */
    public String value() {
        return value;
    }

    /** Whether the key was made for this process (no operator-given key). */
    public boolean generated() {
        return generated;
    }

    @Override
    public String toString() {
        return "ControlApiKey[" + (generated ? "generated" : "configured") + "]";
    }

    private static Result<ControlApiKey> longEnough(String key, String setting) {
        if (key.trim().length() < ApiAuthRule.MINIMUM_KEY_LENGTH) {
            return Result.failure("Invalid setting '%s': the control API key must be at least %d characters".formatted(setting, ApiAuthRule.MINIMUM_KEY_LENGTH));
        }
        return Result.success(new ControlApiKey(key, false));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
