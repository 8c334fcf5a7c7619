package io.kakehashi.catalog.extension;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.catalog.profiles.DataProfiles;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetCreated;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetDeleted;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetUpdated;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturing;
import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturingWithoutEnglishTitle;
import static org.assertj.core.api.Assertions.assertThat;

class AssetMetadataSynchroniserTest {

    private final Map<String, Asset> assets = new ConcurrentHashMap<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private DcatCatalogStore store;
    private AssetMetadataSynchroniser synchroniser;
    private AssetGraphReconciler reconciler;

    @BeforeEach
    void setUp() {
        store = new DcatCatalogStore(CatalogDatasets.inMemory(), DataProfiles.shipped(), Clock.systemUTC());
        // only findById is used; any other call is a test failure
        var index = (AssetIndex) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{AssetIndex.class}, (proxy, method, args) -> {
            if (method.getName().equals("findById")) {
                return assets.get((String) args[0]);
            }
            if (method.getName().equals("queryAssets")) {
                return assets.values().stream();
            }
            throw new UnsupportedOperationException(method.getName());
        });
        var monitor = new Monitor() {
            @Override
            public void warning(Supplier<String> supplier, Throwable... errors) {
                warnings.add(supplier.get());
            }
        };
        synchroniser = new AssetMetadataSynchroniser(index, store, monitor);
        reconciler = new AssetGraphReconciler(index, store, monitor);
    }

    private void publish(Event event) {
        synchroniser.on(EventEnvelope.Builder.newInstance().id("e").at(1_767_600_000_000L).payload(event).build());
    }

    private void saveAsset(String id, Object metadata) {
        var builder = Asset.Builder.newInstance().id(id);
        if (metadata != null) {
            builder.property(AssetMetadataProperty.KEY, metadata);
        }
        assets.put(id, builder.build());
    }

    @Test
    void on_whenAnAssetWithMetadataIsCreated_shouldStoreItsGraph() {
        saveAsset("a1", manufacturing());

        publish(AssetCreated.Builder.newInstance().assetId("a1").build());

        assertThat(store.assetIds()).containsExactly("a1");
    }

    @Test
    void on_whenTheMetadataIsAMap_shouldStoreItsGraph() throws Exception {
        // what EDC keeps for an @json property value
        saveAsset("a1", new ObjectMapper().readValue(manufacturing(), Map.class));

        publish(AssetCreated.Builder.newInstance().assetId("a1").build());

        assertThat(store.assetIds()).containsExactly("a1");
    }

    @Test
    void on_whenAnUpdateDropsTheMetadata_shouldRemoveTheGraph() {
        saveAsset("a1", manufacturing());
        publish(AssetCreated.Builder.newInstance().assetId("a1").build());

        saveAsset("a1", null);
        publish(AssetUpdated.Builder.newInstance().assetId("a1").build());

        assertThat(store.assetIds()).isEmpty();
    }

    @Test
    void on_whenAnAssetIsDeleted_shouldRemoveTheGraph() {
        saveAsset("a1", manufacturing());
        publish(AssetCreated.Builder.newInstance().assetId("a1").build());

        assets.remove("a1");
        publish(AssetDeleted.Builder.newInstance().assetId("a1").build());

        assertThat(store.metadata("a1")).isEmpty();
    }

    @Test
    void on_whenAnAssetBypassedValidationWithBadMetadata_shouldLogAndKeepNoGraph() {
        saveAsset("a1", manufacturing());
        publish(AssetCreated.Builder.newInstance().assetId("a1").build());

        saveAsset("a1", manufacturingWithoutEnglishTitle());
        publish(AssetUpdated.Builder.newInstance().assetId("a1").build());

        assertThat(store.assetIds()).isEmpty();
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains("a1").contains("not valid"));
    }

    @Test
    void reconcile_whenGraphMissesAssetsAndHoldsDeletedOnes_shouldAddAndRemove() {
        store.put("gone", manufacturing());
        store.put("kept", manufacturing());
        saveAsset("kept", manufacturing());
        saveAsset("missing", manufacturing());
        saveAsset("no-metadata", null);
        saveAsset("invalid", manufacturingWithoutEnglishTitle());

        var counts = reconciler.reconcile();

        assertThat(counts).containsExactly(1, 1);
        assertThat(store.assetIds()).containsExactly("kept", "missing");
    }
}
