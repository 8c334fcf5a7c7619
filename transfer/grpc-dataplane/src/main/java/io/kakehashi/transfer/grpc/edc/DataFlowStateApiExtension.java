package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.connector.dataplane.spi.manager.DataPlaneManager;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;

/**
 * Makes the control API answer 404 for the state of an unknown data flow ({@link UnknownDataFlowStateFilter}).
 */
@Extension(DataFlowStateApiExtension.NAME)
public class DataFlowStateApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi data-flow state on the control API";

    @Inject
    private WebService webService;
    @Inject
    private DataPlaneManager dataPlaneManager;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        webService.registerResource("control", new UnknownDataFlowStateFilter(dataPlaneManager));
    }
}
