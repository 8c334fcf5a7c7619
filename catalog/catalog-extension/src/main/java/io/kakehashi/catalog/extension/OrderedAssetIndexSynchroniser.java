package io.kakehashi.catalog.extension;

import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetCreated;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetDeleted;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetEvent;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetUpdated;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventSubscriber;
import org.eclipse.edc.spi.monitor.Monitor;

import java.util.Objects;

/**
 * Keeps the {@link OrderedAssetIndex} in step with EDC's asset index: a created or updated asset's entry is replaced
 * by the asset as the index now holds it, a deleted asset's entry goes. Registered synchronously, so the entry is
 * written before the management API answers and the next catalog request sees it. Thread-safe.
 */
public final class OrderedAssetIndexSynchroniser implements EventSubscriber {

    private final AssetIndex assets;
    private final OrderedAssetIndex index;
    private final Monitor monitor;

    public OrderedAssetIndexSynchroniser(AssetIndex assets, OrderedAssetIndex index, Monitor monitor) {
        this.assets = Objects.requireNonNull(assets, "assets");
        this.index = Objects.requireNonNull(index, "index");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public <E extends Event> void on(EventEnvelope<E> envelope) {
        if (!(envelope.getPayload() instanceof AssetEvent event)) {
            return;
        }
        var assetId = event.getAssetId();
        if (event instanceof AssetDeleted) {
            index.remove(assetId);
        } else if (event instanceof AssetCreated || event instanceof AssetUpdated) {
            try {
                var asset = assets.findById(assetId);
                if (asset == null) {
                    index.remove(assetId);
                } else {
                    index.put(asset);
                }
            } catch (RuntimeException e) {
                // the asset operation has happened; failing it now would not undo it
                monitor.severe("DSP catalog: asset %s could not be read to update the catalog's asset order; the catalog lists it as before until the connector restarts"
                        .formatted(assetId), e);
            }
        }
    }
}
