package io.kakehashi.ai.extension;

import org.eclipse.edc.jsonld.spi.JsonLd;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transform.spi.TypeTransformerRegistry;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;

/**
 * Provides the {@link ComputeRequestReader} the compute API's controllers read their bodies with (JSON-LD through EDC's
 * processor, validators and transformers; the plain form as an alias), with the cancel body registered.
 */
@Extension(ComputeJsonLdExtension.NAME)
@Provides(ComputeRequestReader.class)
public class ComputeJsonLdExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute API JSON-LD";

    @Inject
    private JsonLd jsonLd;
    @Inject
    private JsonObjectValidatorRegistry validators;
    @Inject
    private TypeTransformerRegistry transformers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var reader = new ComputeRequestReader(jsonLd, validators, transformers);
        reader.register(Cancellation.SHAPE, Cancellation.class, Cancellation::parse);
        context.registerService(ComputeRequestReader.class, reader);
    }
}
