package io.kakehashi.core.api;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.configuration.Config;

/**
 * The rule that an API web context is never served without authentication: an authentication type must be
 * configured for the context ({@code web.http.<context>.auth.type}), and token-based authentication needs a key of at
 * least 16 characters, inline or as a vault alias. There is no default key. Stateless and thread-safe.
 */
public final class ApiAuthRule {

    static final String TOKEN_BASED = "tokenbased";
    public static final int MINIMUM_KEY_LENGTH = 16;

    private ApiAuthRule() {
    }

    public static String typeKey(String context) {
        return "web.http." + context + ".auth.type";
    }

    public static String apiKey(String context) {
        return "web.http." + context + ".auth.key";
    }

    public static String apiKeyAlias(String context) {
        return "web.http." + context + ".auth.key.alias";
    }

    public static Result<Void> check(Config config, String context) {
        var type = config.getString(typeKey(context), null);
        if (isBlank(type)) {
            return Result.failure("Missing setting '%s': the %s API must be authenticated (use '%s' with '%s' or '%s')"
                    .formatted(typeKey(context), context, TOKEN_BASED, apiKey(context), apiKeyAlias(context)));
        }
        if (TOKEN_BASED.equals(type.trim())) {
            var key = config.getString(apiKey(context), null);
            var alias = config.getString(apiKeyAlias(context), null);
            if (isBlank(key) && isBlank(alias)) {
                return Result.failure("Missing setting '%s' (or '%s'): token-based %s API authentication has no default key"
                        .formatted(apiKey(context), apiKeyAlias(context), context));
            }
            if (!isBlank(key) && key.trim().length() < MINIMUM_KEY_LENGTH) {
                return Result.failure("Invalid setting '%s': the API key must be at least %d characters".formatted(apiKey(context), MINIMUM_KEY_LENGTH));
            }
        }
        return Result.success();
    }

    /**
     * Fails when two contexts are configured with the same inline key or the same vault alias, so that holding one
     * context's key never opens the other (an operator's key must not read the auditor API).
     */
    public static Result<Void> distinctKeys(Config config, String context, String other) {
        var key = config.getString(apiKey(context), null);
        if (!isBlank(key) && key.equals(config.getString(apiKey(other), null))) {
            return Result.failure("Invalid setting '%s': it must differ from '%s'".formatted(apiKey(context), apiKey(other)));
        }
        var alias = config.getString(apiKeyAlias(context), null);
        if (!isBlank(alias) && alias.equals(config.getString(apiKeyAlias(other), null))) {
            return Result.failure("Invalid setting '%s': it must differ from '%s'".formatted(apiKeyAlias(context), apiKeyAlias(other)));
        }
        return Result.success();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
