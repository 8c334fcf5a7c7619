package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.kakehashi.transfer.spi.TransferProgressService;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;

/**
 * Registers the progress of gRPC transfers on the management API
 * ({@code GET /v1/kakehashi/transfers/progress} and {@code /v1/kakehashi/transfers/{id}/progress}).
 */
@Extension(GrpcTransferProgressApiExtension.NAME)
public class GrpcTransferProgressApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi gRPC transfer progress API";

    @Inject
    private WebService webService;
    @Inject
    private TransferProgressService meters;
    @Inject(required = false)
    private OpenApiDocuments openApi;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        webService.registerResource("management", new TransferProgressApiController(meters));
        if (openApi != null) {
            openApi.register("management", "transfer-progress", GrpcTransferProgressApiExtension.class, "/openapi/transfer-progress.json");
        }
    }
}
