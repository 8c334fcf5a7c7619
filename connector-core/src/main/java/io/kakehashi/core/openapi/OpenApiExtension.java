package io.kakehashi.core.openapi;

import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;

/**
 * Provides {@link OpenApiDocuments} and, once every module registered its documents (in {@code initialize()}),
 * serves each served context's documents on that context ({@link OpenApiResource}).
 */
@Extension(OpenApiExtension.NAME)
public class OpenApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi OpenAPI documents";

    @Inject
    private WebService webService;
    @Inject
    private PortMappingRegistry portMappings;
    @Inject
    private TypeManager typeManager;

    private ClasspathOpenApiDocuments documents;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        documents = new ClasspathOpenApiDocuments(typeManager.getMapper());
    }

    @Provider
    public OpenApiDocuments openApiDocuments() {
        return documents;
    }

    @Override
    public void prepare() {
        var served = documents.contexts();
        portMappings.getAll().stream().map(mapping -> mapping.name()).filter(served::contains).distinct()
                .forEach(context -> webService.registerResource(context, new OpenApiResource(documents, context)));
    }
}
