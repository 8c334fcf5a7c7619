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
 * what stock EDC's Jetty does. The default is the loopback address: exposing a port is an explicit decision. The
 * control API is the connector's own components' (data-plane signaling, selector, transfer-process callbacks) and
 * binds to an address of its own, loopback by default, so that making the public ports reachable never exposes it.
 * So does the metrics endpoint (a Prometheus server in the operator's network scrapes it, nobody else).
 */
@Extension(WebBindHostExtension.NAME)
public class WebBindHostExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi web bind host";
    public static final String HOST_KEY = "kakehashi.web.host";
    public static final String CONTROL_HOST_KEY = "kakehashi.web.control.host";
    public static final String METRICS_HOST_KEY = "kakehashi.web.metrics.host";
    /** The name EDC's Jetty gives the control context's connector (its web context name). */
    static final String CONTROL_CONTEXT = "control";
    static final String METRICS_CONTEXT = "metrics";

    @Setting(key = HOST_KEY, defaultValue = "127.0.0.1",
            description = "Address every HTTP port binds to (an IP literal or a resolvable host name). 0.0.0.0 binds all IPv4 interfaces.")
    private String host;

    @Setting(key = CONTROL_HOST_KEY, defaultValue = "127.0.0.1",
            description = "Address the control API's port binds to, separately from kakehashi.web.host (loopback unless a data plane in another process must reach it)")
    private String controlHost;

    @Setting(key = METRICS_HOST_KEY, defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint's port binds to, separately from kakehashi.web.host (loopback unless a Prometheus server on another host scrapes it)")
    private String metricsHost;

    @Inject
    private JettyService jettyService;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var address = bindAddress(HOST_KEY, host);
        var controlAddress = bindAddress(CONTROL_HOST_KEY, controlHost);
        var metricsAddress = bindAddress(METRICS_HOST_KEY, metricsHost);
        jettyService.addConnectorConfigurationCallback(connector -> {
            if (CONTROL_CONTEXT.equals(connector.getName())) {
                connector.setHost(controlAddress);
            } else if (METRICS_CONTEXT.equals(connector.getName())) {
                connector.setHost(metricsAddress);
            } else {
                connector.setHost(address);
            }
        });
        context.getMonitor().info("HTTP ports bind to %s, the control API to %s, the metrics endpoint to %s".formatted(address, controlAddress, metricsAddress));
    }

    private static String bindAddress(String key, String value) {
        return BindAddress.parse(value)
                .orElseThrow(failure -> new EdcException("Invalid setting '%s': %s".formatted(key, failure.getFailureDetail())));
    }
}
