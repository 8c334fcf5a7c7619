package io.kakehashi.ai.extension;

import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;

/** Test runtimes listen on 127.0.0.1 only (the connector gets this from kakehashi-connector-core). */
public class LoopbackOnlyTestExtension implements ServiceExtension {

    @Inject
    private JettyService jettyService;

    @Override
    public void initialize(ServiceExtensionContext context) {
        jettyService.addConnectorConfigurationCallback(connector -> connector.setHost("127.0.0.1"));
    }
}
