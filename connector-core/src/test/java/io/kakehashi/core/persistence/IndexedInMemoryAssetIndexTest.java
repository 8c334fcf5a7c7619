package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class IndexedInMemoryAssetIndexTest {

    private final IndexedInMemoryAssetIndex index = new IndexedInMemoryAssetIndex(CriterionOperatorRegistryImpl.ofDefaults());

    @Test
    void findById_shouldFollowCreateUpdateAndDelete() {
        assertThat(index.create(asset("a", "first")).succeeded()).isTrue();
        assertThat(index.findById("a").getProperty("name")).isEqualTo("first");

        assertThat(index.updateAsset(asset("a", "second")).succeeded()).isTrue();
        assertThat(index.findById("a").getProperty("name")).isEqualTo("second");
        assertThat(index.resolveForAsset("a").getType()).isEqualTo("HttpData");

        assertThat(index.deleteById("a").succeeded()).isTrue();
        assertThat(index.findById("a")).isNull();
    }

    @Test
    void findById_whenAStoreCallFails_shouldKeepWhatTheIndexHolds() {
        index.create(asset("a", "first"));

        assertThat(index.create(asset("a", "duplicate")).succeeded()).isFalse();
        assertThat(index.updateAsset(asset("missing", "x")).succeeded()).isFalse();
        assertThat(index.deleteById("missing").succeeded()).isFalse();

        assertThat(index.findById("a").getProperty("name")).isEqualTo("first");
        assertThat(index.findById("missing")).isNull();
        assertThat(index.findById(null)).isNull();
    }

    @Test
    void findById_shouldAgreeWithTheIndexsQueriesAfterConcurrentWrites() throws Exception {
        var executor = Executors.newFixedThreadPool(4);
        var writes = new ArrayList<Future<?>>();
        for (var i = 0; i < 400; i++) {
            var id = "asset-" + (i % 50);
            var n = i;
            writes.add(executor.submit(() -> {
                if (n % 3 == 2) {
                    index.deleteById(id);
                } else if (index.create(asset(id, "v" + n)).failed()) {
                    index.updateAsset(asset(id, "v" + n));
                }
            }));
        }
        for (var write : writes) {
            write.get(30, TimeUnit.SECONDS);
        }
        executor.shutdown();

        List<Asset> all = index.queryAssets(QuerySpec.max()).toList();
        assertThat(all).allSatisfy(asset -> assertThat(index.findById(asset.getId())).isSameAs(asset));
        for (var i = 0; i < 50; i++) {
            var id = "asset-" + i;
            assertThat(index.findById(id) != null).as(id).isEqualTo(all.stream().anyMatch(asset -> asset.getId().equals(id)));
        }
    }

    private static Asset asset(String id, String name) {
        return Asset.Builder.newInstance().id(id).property("name", name)
                .dataAddress(DataAddress.Builder.newInstance().type("HttpData").build()).build();
    }
}
