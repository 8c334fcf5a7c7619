package io.kakehashi.core.web;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;

/**
 * Makes every HTTP port of the runtime listen on one configured address instead of on every interface, which is
 * what stock EDC's Jetty does. The default is the loopback address: exposing a port is an explicit decision.
 */
@Extension(WebBindHostExtension.NAME)
public class WebBindHostExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi web bind host";
    public static final String HOST_KEY = "kakehashi.web.host";

    @Setting(key = HOST_KEY, defaultValue = "127.0.0.1",
            description = "Address every HTTP port binds to (an IP literal or a resolvable host name). 0.0.0.0 binds all IPv4 interfaces.")
    private String host;

    @Inject
    private JettyService jettyService;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var address = BindAddress.parse(host)
                .orElseThrow(failure -> new EdcException("Invalid setting '%s': %s".formatted(HOST_KEY, failure.getFailureDetail())));
        jettyService.addConnectorConfigurationCallback(connector -> connector.setHost(address));
        context.getMonitor().info("HTTP ports bind to %s".formatted(address));
    }
}
