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
    public static final String ENVIRONMENT_VARIABLE = OwnContextKey.environmentVariable(CONTEXT);
    private static final int GENERATED_KEY_BYTES = 32;

    private final String value;
    private final boolean generated;

    private ControlApiKey(String value, boolean generated) {
        this.value = value;
        this.generated = generated;
    }

    /**
     * Resolves the key from the configuration, the vault and the environment ({@link OwnContextKey}), or makes one; a
     * failure names the setting that is wrong and never contains a key.
     *
     * @param environment reads an environment variable ({@code System::getenv} outside tests)
     */
    public static Result<ControlApiKey> resolve(Config config, Vault vault, UnaryOperator<String> environment, SecureRandom random) {
        return OwnContextKey.configured(config, vault, environment, CONTEXT, "the control API", "management", "auditor")
                .map(configured -> configured.map(key -> new ControlApiKey(key, false)).orElseGet(() -> {
                    var bytes = new byte[GENERATED_KEY_BYTES];
                    random.nextBytes(bytes);
                    return new ControlApiKey(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true);
                }));
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
}
