package io.kakehashi.core.api;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.configuration.Config;

/**
 * The rule that the management API is never served without authentication ({@link ApiAuthRule} for the
 * {@code management} web context). Stateless and thread-safe.
 */
public final class ManagementApiAuthRule {

    public static final String CONTEXT = "management";
    public static final String TYPE_KEY = ApiAuthRule.typeKey(CONTEXT);
    public static final String API_KEY = ApiAuthRule.apiKey(CONTEXT);
    public static final String API_KEY_ALIAS = ApiAuthRule.apiKeyAlias(CONTEXT);

    private ManagementApiAuthRule() {
    }

    public static Result<Void> check(Config config) {
        return ApiAuthRule.check(config, CONTEXT);
    }
}
