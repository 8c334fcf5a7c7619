package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

/**
 * Adds the compute jobs to the management API (and its authentication): {@code GET /v3/kakehashi/compute/jobs?agreementId=…},
 * {@code GET /v3/kakehashi/compute/jobs/{id}}, {@code POST /v3/kakehashi/compute/jobs/{id}/cancel}.
 */
@Extension(ComputeJobsApiExtension.NAME)
public class ComputeJobsApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute jobs API";

    @Inject
    private WebService webService;
    @Inject
    private ComputeJobService service;
    @Inject
    private ComputeJobStore store;
    @Inject
    private ComputeRequestReader requests;
    @Inject(required = false)
    private OpenApiDocuments openApi;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        webService.registerResource(ApiContext.MANAGEMENT, new ComputeJobsApiController(service, store, requests));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "compute-jobs", ComputeJobsApiExtension.class, "/openapi/compute-jobs.json");
        }
    }
}
