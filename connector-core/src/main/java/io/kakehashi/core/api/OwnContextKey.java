package io.kakehashi.core.api;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.configuration.Config;

import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The operator's key for a web context that Kakehashi authenticates itself (the control API, the metrics endpoint):
 * from the vault ({@code web.http.<context>.auth.key.alias}) or from the environment
 * ({@code WEB_HTTP_<CONTEXT>_AUTH_KEY}), never from a settings file; {@code tokenbased} the only type; at least
 * {@value ApiAuthRule#MINIMUM_KEY_LENGTH} characters; different from the keys of the other contexts named. What a
 * context does without a key (make one, or stay off) is its own decision. A failure names the setting that is wrong
 * and never contains a key.
 */
public final class OwnContextKey {

    private OwnContextKey() {
    }

    /** {@code WEB_HTTP_<CONTEXT>_AUTH_KEY}: where EDC's configuration takes the context's key from the environment. */
    public static String environmentVariable(String context) {
        return "WEB_HTTP_" + context.toUpperCase(Locale.ROOT) + "_AUTH_KEY";
    }

    /**
     * The configured key, empty when none is configured.
     *
     * @param subject what the key opens, for messages ("the control API")
     * @param environment reads an environment variable ({@code System::getenv} outside tests)
     * @param others the contexts whose keys must differ from this one
     */
    public static Result<Optional<String>> configured(Config config, Vault vault, UnaryOperator<String> environment, String context,
                                                      String subject, String... others) {
        var typeKey = ApiAuthRule.typeKey(context);
        var key = ApiAuthRule.apiKey(context);
        var alias = ApiAuthRule.apiKeyAlias(context);
        var variable = environmentVariable(context);
        var type = config.getString(typeKey, null);
        if (!isBlank(type) && !TokenBasedAuthenticationExtension.TYPE.equals(type.trim())) {
            return Result.failure("Invalid setting '%s': %s is authenticated with '%s' only (its key through %s or '%s')"
                    .formatted(typeKey, subject, TokenBasedAuthenticationExtension.TYPE, variable, alias));
        }
        for (var other : others) {
            var distinct = ApiAuthRule.distinctKeys(config, context, other);
            if (distinct.failed()) {
                return Result.failure(distinct.getFailureDetail());
            }
        }
        var aliasName = config.getString(alias, null);
        if (!isBlank(aliasName)) {
            var secret = vault.resolveSecret(aliasName.trim());
            if (isBlank(secret)) {
                return Result.failure("Invalid setting '%s': the vault holds no key under that alias".formatted(alias));
            }
            return longEnough(secret, alias, subject);
        }
        var inline = config.getString(key, null);
        if (!isBlank(inline)) {
            // EDC merges the environment into its configuration; a value that is not the environment's came from a file
            if (!inline.equals(environment.apply(variable))) {
                return Result.failure("Invalid setting '%s': give the key of %s through the environment (%s) or the vault ('%s'), never in a settings file"
                        .formatted(key, subject, variable, alias));
            }
            return longEnough(inline, key, subject);
        }
        if (!isBlank(type)) {
            return Result.failure("Missing setting '%s' (or '%s'): with '%s' set, the key of %s must be given".formatted(key, alias, typeKey, subject));
        }
        return Result.success(Optional.empty());
    }

    private static Result<Optional<String>> longEnough(String value, String setting, String subject) {
        if (value.trim().length() < ApiAuthRule.MINIMUM_KEY_LENGTH) {
            return Result.failure("Invalid setting '%s': the key of %s must be at least %d characters".formatted(setting, subject, ApiAuthRule.MINIMUM_KEY_LENGTH));
        }
        return Result.success(Optional.of(value));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
