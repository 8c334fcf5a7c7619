package io.kakehashi.core.web.readiness;

import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.health.HealthCheckService;
import org.eclipse.edc.web.jetty.JettyService;
import org.eclipse.jetty.server.Server;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Keeps every HTTP port except the control API's answering {@code 503} with {@code Retry-After} until EDC's boot has
 * started every extension. EDC's Jetty opens its ports in the web extension's {@code start()}, before the protocol,
 * management and identity resources are registered and before the state machines run; without the gate a peer's DSP
 * message in that window got Jetty's 405 page, which EDC treats as final. See decision record 0020.
 */
@Extension(StartupGateExtension.NAME)
public class StartupGateExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi start-up gate";
    public static final String RETRY_AFTER_KEY = "kakehashi.web.startup.retry-after";
    /**
     * The control API is only called by the connector's own components; one of them calling it during boot must not
     * wait for the boot to end.
     */
    static final Set<String> UNGATED_CONTEXTS = Set.of("control");

    @Setting(key = RETRY_AFTER_KEY, defaultValue = "PT1S",
            description = "The Retry-After a request gets while the connector is starting (ISO-8601 duration, 1 s to 1 min; whole seconds)")
    private String retryAfter;

    @Inject
    private JettyService jettyService;
    @Inject
    private HealthCheckService healthCheckService;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var delay = parseRetryAfter(retryAfter);
        var startup = new RuntimeStartup(healthCheckService);
        var gatedServers = Collections.newSetFromMap(new IdentityHashMap<Server, Boolean>());
        // Every connector belongs to the one server; its handler is set only just before it starts, so the gate
        // wraps it when the server starts, before any connector accepts.
        jettyService.addConnectorConfigurationCallback(connector -> {
            var server = connector.getServer();
            if (gatedServers.add(server)) {
                StartupGate.installWhenStarting(server, startup, UNGATED_CONTEXTS, delay);
            }
        });
    }

    static Duration parseRetryAfter(String value) {
        return SettingValues.require(SettingValues.duration(RETRY_AFTER_KEY, value, Duration.ofSeconds(1), Duration.ofMinutes(1)));
    }
}
