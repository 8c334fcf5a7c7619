package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.defaults.storage.assetindex.InMemoryAssetIndex;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EDC 0.15.1's in-memory asset index with a lookup by id that does not scan: EDC's {@code findById} streams every
 * asset to find one, so each asset event the catalog handles (it reads the asset by id) cost time in proportion to
 * the assets already stored, and publishing n assets grew as n². Queries, filters and data addresses stay EDC's.
 * <p>
 * Thread-safe: the mutators are serialised on one monitor, so the lookup map never outlives or precedes what EDC's
 * index holds by more than the call that is changing it.
 */
public final class IndexedInMemoryAssetIndex extends InMemoryAssetIndex {

    private final Map<String, Asset> byId = new ConcurrentHashMap<>();

    public IndexedInMemoryAssetIndex(CriterionOperatorRegistry criterionOperatorRegistry) {
        super(criterionOperatorRegistry);
    }

    @Override
    public Asset findById(String assetId) {
        return assetId == null ? null : byId.get(assetId);
    }

    @Override
    public StoreResult<Void> create(Asset asset) {
        synchronized (byId) {
            var result = super.create(asset);
            if (result.succeeded()) {
                byId.put(asset.getId(), asset);
            }
            return result;
        }
    }

    @Override
    public StoreResult<Asset> updateAsset(Asset asset) {
        synchronized (byId) {
            var result = super.updateAsset(asset);
            if (result.succeeded()) {
                byId.put(asset.getId(), asset);
            }
            return result;
        }
    }

    @Override
    public StoreResult<Asset> deleteById(String assetId) {
        synchronized (byId) {
            var result = super.deleteById(assetId);
            if (result.succeeded()) {
                byId.remove(assetId);
            }
            return result;
        }
    }
}
