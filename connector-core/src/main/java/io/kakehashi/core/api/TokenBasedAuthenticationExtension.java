package io.kakehashi.core.api;

import org.eclipse.edc.api.auth.spi.AuthenticationService;
import org.eclipse.edc.api.auth.spi.registry.ApiAuthenticationProviderRegistry;
import org.eclipse.edc.api.auth.spi.registry.ApiAuthenticationRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.Config;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Kakehashi's {@value #TYPE} API authentication: the same settings as EDC's ({@code web.http.<context>.auth.key}
 * or {@code .key.alias}, the alias resolved in the vault), checked by {@link ApiKeyAuthenticationService}
 * (case-sensitive, constant time). The launcher leaves EDC's {@code auth-tokenbased} module out, whose service
 * compares keys ignoring case; EDC's authentication configuration then finds this provider under the same type. A
 * context may accept another authentication besides its key ({@link ApiKeyAlternatives}, which this extension provides).
 */
@Extension(TokenBasedAuthenticationExtension.NAME)
public class TokenBasedAuthenticationExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi token-based API authentication";
    public static final String TYPE = "tokenbased";
    static final String KEY = "key";
    static final String KEY_ALIAS = "key.alias";

    @Inject
    private ApiAuthenticationProviderRegistry providers;
    @Inject
    private ApiAuthenticationRegistry services;
    @Inject
    private Vault vault;

    private final ApiKeyAlternatives alternatives = new ApiKeyAlternatives();
    private Map<String, Config> tokenBasedContexts = Map.of();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        providers.register(TYPE, this::provide);
        tokenBasedContexts = context.getConfig("web.http").partition()
                .filter(web -> TYPE.equals(web.getString("auth.type", "").trim()))
                .collect(Collectors.toMap(Config::currentNode, web -> web.getConfig("auth")));
    }

    /**
     * Where a runtime still has EDC's auth-tokenbased (not the launcher), its provider and this one register under the
     * same type in an order EDC does not define. The authentication filters look the service up per request, so
     * putting this one in place for every token-based context after all of them were configured makes the comparison
     * case-sensitive whichever provider EDC's configuration used.
     */
    @Override
    public void start() {
        tokenBasedContexts.forEach((context, authConfig) -> {
            var key = provide(authConfig)
                    .orElseThrow(failure -> new EdcException("Failed to configure authentication for context %s: %s".formatted(context, failure.getFailureDetail())));
            services.register(context, alternatives.forContext(context).map(other -> ApiKeyAlternatives.either(key, other)).orElse(key));
        });
    }

    /** The authentications token-based contexts accept besides their keys; registered while extensions initialize. */
    @Provider
    public ApiKeyAlternatives apiKeyAlternatives() {
        return alternatives;
    }

    /**
     * Builds the service for one context from its {@code web.http.<context>.auth} configuration: the key under the
     * vault alias when one is given, the inline key otherwise. The failure never contains the key.
     */
    Result<AuthenticationService> provide(Config authConfig) {
        var alias = authConfig.getString(KEY_ALIAS, null);
        if (alias != null && !alias.isBlank()) {
            var key = vault.resolveSecret(alias);
            if (key == null || key.isEmpty()) {
                return Result.failure("the vault holds no API key under the alias given in 'auth.%s'".formatted(KEY_ALIAS));
            }
            return Result.success(new ApiKeyAuthenticationService(key));
        }
        var key = authConfig.getString(KEY, null);
        if (key == null || key.isEmpty()) {
            return Result.failure("'auth.%s' (or 'auth.%s') is missing: token-based authentication has no default key".formatted(KEY, KEY_ALIAS));
        }
        return Result.success(new ApiKeyAuthenticationService(key));
    }
}
