package io.kakehashi.core.api;

import org.eclipse.edc.api.auth.spi.AuthenticationRequestFilter;
import org.eclipse.edc.api.auth.spi.ControlClientAuthenticationProvider;
import org.eclipse.edc.api.auth.spi.registry.ApiAuthenticationRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;

import java.security.SecureRandom;
import java.util.Map;

/**
 * Authenticates the control API (EDC's data-plane signaling {@code /v1/dataflows}, the selector's
 * {@code /v1/dataplanes}, the transfer-process callbacks), which stock EDC 0.15.1 serves without any authentication:
 * every request needs the {@link ControlApiKey} in {@code x-api-key}. EDC's control clients in this process get the
 * key from the {@link ControlClientAuthenticationProvider} this extension provides; the embedded data plane, selector
 * and transfer-process client call in-process and need none. The port binds to {@code kakehashi.web.control.host}
 * (loopback), see {@code WebBindHostExtension}.
 */
@Extension(ControlApiAuthExtension.NAME)
public class ControlApiAuthExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi control API authentication";

    @Inject
    private Vault vault;
    @Inject
    private ApiAuthenticationRegistry authenticationRegistry;
    @Inject
    private WebService webService;
    @Inject
    private PortMappingRegistry portMappings;
    @Inject
    private Monitor monitor;

    private ControlApiKey key;
    private boolean typeConfigured;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = context.getConfig();
        key = ControlApiKey.resolve(config, vault, System::getenv, new SecureRandom())
                .orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
        typeConfigured = config.getString(ControlApiKey.TYPE_KEY, null) != null && !config.getString(ControlApiKey.TYPE_KEY).isBlank();
    }

    @Provider
    public ControlClientAuthenticationProvider controlClientAuthenticationProvider() {
        var headers = Map.of(ApiKeyAuthenticationService.HEADER, key.value());
        return () -> headers;
    }

    @Override
    public void prepare() {
        // after every initialize(): the control context's port mapping exists only if this runtime serves it
        var served = portMappings.getAll().stream().anyMatch(mapping -> ControlApiKey.CONTEXT.equals(mapping.name()));
        if (!served) {
            return;
        }
        if (!typeConfigured) {
            // with web.http.control.auth.type set, EDC's authentication configuration puts the filter on the context
            authenticationRegistry.register(ControlApiKey.CONTEXT, new ApiKeyAuthenticationService(key.value()));
            webService.registerResource(ControlApiKey.CONTEXT, new AuthenticationRequestFilter(authenticationRegistry, ControlApiKey.CONTEXT));
        }
        monitor.info(key.generated()
                ? "Control API authenticated with a key made for this process (no WEB_HTTP_CONTROL_AUTH_KEY or %s)".formatted(ControlApiKey.KEY_ALIAS)
                : "Control API authenticated with the configured key");
    }
}
