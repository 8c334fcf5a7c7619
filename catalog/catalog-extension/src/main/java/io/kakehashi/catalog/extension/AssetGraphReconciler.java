package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.DcatCatalogStore;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.QuerySpec;

import java.util.HashSet;
import java.util.Objects;

/**
 * Brings the catalog graph in line with the asset index at start: graphs of assets that no longer exist are
 * removed, and assets with metadata but no graph get one. The graph is derived from the assets, so an in-memory
 * catalog, a fresh TDB2 directory, or a replica that missed events (assets in PostgreSQL, written by another
 * replica) is rebuilt. Assets that already have a graph are left alone: the events kept it current. Not
 * thread-safe; run once, before the connector serves requests.
 */
public final class AssetGraphReconciler {

    private final AssetIndex assets;
    private final DcatCatalogStore store;
    private final Monitor monitor;

    public AssetGraphReconciler(AssetIndex assets, DcatCatalogStore store, Monitor monitor) {
        this.assets = Objects.requireNonNull(assets, "assets");
        this.store = Objects.requireNonNull(store, "store");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /** @return how many graphs were added and removed, as {@code [added, removed]} */
    public int[] reconcile() {
        var inGraph = new HashSet<>(store.assetIds());
        var seen = new HashSet<String>();
        int added = 0;
        int invalid = 0;
        try (var stream = assets.queryAssets(QuerySpec.max())) {
            for (var asset : (Iterable<Asset>) stream::iterator) {
                seen.add(asset.getId());
                if (inGraph.contains(asset.getId())) {
                    continue;
                }
                var metadata = AssetMetadataProperty.fromAsset(asset);
                if (metadata.isEmpty()) {
                    continue;
                }
                var stored = metadata.get().compose(text -> store.put(asset.getId(), text));
                if (stored.succeeded()) {
                    added++;
                } else {
                    invalid++;
                }
            }
        }
        int removed = 0;
        for (var id : inGraph) {
            if (!seen.contains(id) && store.remove(id)) {
                removed++;
            }
        }
        if (added > 0 || removed > 0 || invalid > 0) {
            monitor.info("Catalog: graph reconciled with the asset index: %d added, %d removed, %d asset(s) with invalid metadata left out"
                    .formatted(added, removed, invalid));
        }
        return new int[]{added, removed};
    }
}
