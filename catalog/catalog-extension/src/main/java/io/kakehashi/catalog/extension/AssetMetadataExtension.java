package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.DcatCatalogStore;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetEvent;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;

import static org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset.EDC_ASSET_TYPE;

/**
 * Assets carry DCAT metadata: the management API validates it against the claimed data profile on creation and
 * update (a violation is a 400 with the SHACL messages, and nothing is stored), and the catalog graph follows the
 * asset events; at start it is reconciled with the asset index ({@link AssetGraphReconciler}).
 */
@Extension(AssetMetadataExtension.NAME)
public class AssetMetadataExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi asset DCAT metadata";

    @Inject
    private JsonObjectValidatorRegistry validators;

    @Inject
    private EventRouter eventRouter;

    @Inject
    private AssetIndex assetIndex;

    @Inject
    private DcatCatalogStore store;

    private AssetGraphReconciler reconciler;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        // the registry runs every validator registered for a type and merges their violations, EDC's own included
        validators.register(EDC_ASSET_TYPE, new AssetMetadataValidator(store));
        eventRouter.registerSync(AssetEvent.class, new AssetMetadataSynchroniser(assetIndex, store, context.getMonitor()));
        reconciler = new AssetGraphReconciler(assetIndex, store, context.getMonitor());
    }

    @Override
    public void start() {
        // the asset index is ready (and its SQL schema made) only once every extension is initialised
        reconciler.reconcile();
    }
}
