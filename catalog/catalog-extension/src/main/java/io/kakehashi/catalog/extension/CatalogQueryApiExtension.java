package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.CatalogSearch;
import io.kakehashi.catalog.core.SparqlQueryService;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.time.Clock;

/**
 * The SPARQL endpoint and the bilingual search on the management API ({@code /v3/catalog/sparql},
 * {@code /v3/catalog/search}), behind the management API's authentication.
 */
@Extension(CatalogQueryApiExtension.NAME)
public class CatalogQueryApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi catalog query API";

    @Inject
    private WebService webService;

    @Inject
    private SparqlQueryService sparql;

    @Inject
    private CatalogSearch search;

    @Inject
    private Clock clock;

    @Inject(required = false)
    private OpenApiDocuments openApi;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        webService.registerResource(ApiContext.MANAGEMENT, new CatalogQueryApiController(sparql, search, clock));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "catalog", CatalogQueryApiExtension.class, "/openapi/catalog.json");
        }
    }
}
