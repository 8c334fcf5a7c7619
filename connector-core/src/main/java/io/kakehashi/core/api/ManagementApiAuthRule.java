package io.kakehashi.core.api;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.configuration.Config;

/**
 * The rule that the management API is never served without authentication: an authentication type must be
 * configured for the {@code management} web context, and token-based authentication needs a key (inline or as a
 * vault alias). There is no default key. Stateless and thread-safe.
 */
public final class ManagementApiAuthRule {

    public static final String TYPE_KEY = "web.http.management.auth.type";
    public static final String API_KEY = "web.http.management.auth.key";
    public static final String API_KEY_ALIAS = "web.http.management.auth.key.alias";
    private static final String TOKEN_BASED = "tokenbased";

    private ManagementApiAuthRule() {
    }

    public static Result<Void> check(Config config) {
        var type = config.getString(TYPE_KEY, null);
        if (type == null || type.isBlank()) {
            return Result.failure("Missing setting '%s': the management API must be authenticated (use '%s' with '%s' or '%s')"
                    .formatted(TYPE_KEY, TOKEN_BASED, API_KEY, API_KEY_ALIAS));
        }
        if (TOKEN_BASED.equals(type.trim())) {
            var key = config.getString(API_KEY, null);
            var alias = config.getString(API_KEY_ALIAS, null);
            if (isBlank(key) && isBlank(alias)) {
                return Result.failure("Missing setting '%s' (or '%s'): token-based management API authentication has no default key"
                        .formatted(API_KEY, API_KEY_ALIAS));
            }
            if (!isBlank(key) && key.trim().length() < 16) {
                return Result.failure("Invalid setting '%s': the API key must be at least 16 characters".formatted(API_KEY));
            }
        }
        return Result.success();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
