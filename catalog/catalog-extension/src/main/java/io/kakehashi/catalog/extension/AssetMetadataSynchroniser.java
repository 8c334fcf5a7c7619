package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.DcatCatalogStore;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetCreated;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetDeleted;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetEvent;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetUpdated;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventSubscriber;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the catalog graph in step with the asset index: on creation and update the asset's metadata replaces its
 * graph (or the graph is removed if the asset no longer has metadata); on deletion the graph goes.
 * <p>
 * Registered synchronously, so the graph is written before the management API answers. The management API has
 * already validated the metadata; an asset created another way (code, a SQL import) with bad metadata is logged and
 * gets no graph, rather than failing the asset operation that already happened. Thread-safe.
 */
public final class AssetMetadataSynchroniser implements EventSubscriber {

    private final AssetIndex assets;
    private final DcatCatalogStore store;
    private final Monitor monitor;

    public AssetMetadataSynchroniser(AssetIndex assets, DcatCatalogStore store, Monitor monitor) {
        this.assets = Objects.requireNonNull(assets, "assets");
        this.store = Objects.requireNonNull(store, "store");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public <E extends Event> void on(EventEnvelope<E> envelope) {
        if (!(envelope.getPayload() instanceof AssetEvent event)) {
            return;
        }
        var assetId = event.getAssetId();
        try {
            if (event instanceof AssetDeleted) {
                store.remove(assetId);
            } else if (event instanceof AssetCreated || event instanceof AssetUpdated) {
                refresh(assetId);
            }
        } catch (RuntimeException e) {
            monitor.severe("Catalog: the metadata of asset %s could not be written".formatted(assetId), e);
        }
    }

    private void refresh(String assetId) {
        var asset = assets.findById(assetId);
        Optional<Result<String>> metadata = asset == null ? Optional.empty() : AssetMetadataProperty.fromAsset(asset);
        if (metadata.isEmpty()) {
            store.remove(assetId);
            return;
        }
        var stored = metadata.get().compose(text -> store.put(assetId, text));
        if (stored.failed()) {
            store.remove(assetId);
            monitor.warning("Catalog: asset %s has metadata that is not valid, so it is not in the catalog graph: %s"
                    .formatted(assetId, stored.getFailureDetail()));
        }
    }
}
