package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.DcatCatalogStore;
import org.eclipse.edc.connector.controlplane.catalog.spi.DatasetResolver;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * DSP catalog entries described from the graph: wraps EDC's {@link DatasetResolver} in a {@link GraphDatasetResolver}.
 * <p>
 * Injecting the resolver this extension also provides makes EDC's dependency graph start it after EDC's catalog core
 * (the other provider) and before every user of the resolver (which depend on all providers), so the wrapped
 * resolver is the one the DSP catalog service gets. EDC logs once that the resolver was replaced.
 */
@Extension(DspCatalogFromGraphExtension.NAME)
@Provides(DatasetResolver.class)
public class DspCatalogFromGraphExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi DSP catalog from the graph";

    @Inject
    private DatasetResolver stockResolver;

    @Inject
    private DcatCatalogStore store;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        context.registerService(DatasetResolver.class, new GraphDatasetResolver(stockResolver, store));
    }
}
