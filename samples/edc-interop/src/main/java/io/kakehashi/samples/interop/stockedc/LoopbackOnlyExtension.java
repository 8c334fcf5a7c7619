package io.kakehashi.samples.interop.stockedc;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;

/**
 * Puts the stock EDC runtime of the interop test and the benchmark on 127.0.0.1: EDC 0.15.1 has no setting for the
 * address its ports bind to and listens on every interface. This changes where the ports listen and nothing else;
 * it is on the stock runtime's class path only (see {@code src/stock-edc}), never on Kakehashi's.
 */
@Extension("Test harness: stock EDC on loopback")
public class LoopbackOnlyExtension implements ServiceExtension {

    @Inject
    private JettyService jettyService;

    @Override
    public void initialize(ServiceExtensionContext context) {
        jettyService.addConnectorConfigurationCallback(connector -> connector.setHost("127.0.0.1"));
    }
}
