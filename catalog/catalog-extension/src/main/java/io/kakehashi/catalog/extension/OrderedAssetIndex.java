package io.kakehashi.catalog.extension;

import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The catalog's mirror of EDC's asset index, ordered by asset id, that the DSP catalog is paged from: a page walks the
 * entries from the first id on and stops once it is full, so it never loads, sorts or describes the assets before
 * it or after it.
 * <p>
 * An entry keeps the asset as the asset index returned it, and apart what an asset selector or a catalog filter reads
 * (id, participant context, the scalar public and private properties); a property value that is a JSON structure or a string longer than
 * {@link #MAX_KEPT_STRING_LENGTH} (the asset's full DCAT document, typically) is left out and its key recorded, so a
 * criterion on it is decided on the full asset instead. The index is kept in step by {@link OrderedAssetIndexSynchroniser}
 * (asset events, synchronous) and filled from the asset index at start and then periodically ({@link #fill}); until
 * the first fill {@link #isReady()} is false and the catalog is resolved by EDC. Thread-safe: entries are immutable, the map is concurrent, a page iterates a weakly
 * consistent view.
 */
public final class OrderedAssetIndex {

    /** Longest string property value kept in an entry. */
    public static final int MAX_KEPT_STRING_LENGTH = 512;

    private final ConcurrentSkipListMap<String, IndexedAsset> entries = new ConcurrentSkipListMap<>();
    // ids that events changed while a fill runs: the fill's older read of them must not undo the change
    private final Set<String> changedDuringFill = ConcurrentHashMap.newKeySet();
    private volatile boolean filling;
    private volatile boolean ready;

    /** Adds or replaces the asset's entry (an asset event). */
    public void put(Asset asset) {
        Objects.requireNonNull(asset, "asset");
        entries.put(asset.getId(), IndexedAsset.of(asset));
        if (filling) {
            changedDuringFill.add(asset.getId());
        }
    }

    /** Removes the asset's entry (an asset event); {@code true} if there was one. */
    public boolean remove(String assetId) {
        var removed = entries.remove(Objects.requireNonNull(assetId, "assetId")) != null;
        if (filling) {
            changedDuringFill.add(assetId);
        }
        return removed;
    }

    /**
     * Makes the entries those of the given assets (the asset index read in full) and marks the index ready: at start,
     * and again from time to time to pick up assets that changed without an event here (another replica sharing the
     * asset store, an asset written straight into the index). An asset that an event changed while the fill ran keeps
     * what the event wrote.
     *
     * @return the number of entries
     */
    public synchronized int fill(Stream<Asset> assets) {
        changedDuringFill.clear();
        filling = true;
        try {
            var ids = new HashSet<String>();
            assets.forEach(asset -> {
                ids.add(asset.getId());
                if (!changedDuringFill.contains(asset.getId())) {
                    entries.put(asset.getId(), IndexedAsset.of(asset));
                }
            });
            entries.keySet().removeIf(id -> !ids.contains(id) && !changedDuringFill.contains(id));
        } finally {
            filling = false;
            changedDuringFill.clear();
        }
        ready = true;
        return entries.size();
    }

    /** Whether the index has been filled from the asset index and can answer for it. */
    public boolean isReady() {
        return ready;
    }

    /** The entries in ascending asset-id order (a weakly consistent view). */
    public Iterator<IndexedAsset> inIdOrder() {
        return entries.values().iterator();
    }

    /** The entry of the asset, or {@code null}. */
    public IndexedAsset get(String assetId) {
        return entries.get(assetId);
    }

    public int size() {
        return entries.size();
    }

    /**
     * One asset as the index keeps it. Immutable.
     *
     * @param id                   the asset id
     * @param participantContextId the asset's participant context, may be {@code null}
     * @param properties           the public properties with scalar values
     * @param privateProperties    the private properties with scalar values
     * @param leftOut              keys (public or private) whose values were not kept
     * @param asset                the asset as the asset index returned it (with an in-memory index the very object it
     *                             holds; EDC 0.15.1's in-memory {@code findById} scans every asset, so a page must not
     *                             look its assets up one by one)
     */
    public record IndexedAsset(String id, String participantContextId, Map<String, Object> properties,
                               Map<String, Object> privateProperties, Set<String> leftOut, Asset asset) {

        static IndexedAsset of(Asset asset) {
            var leftOut = new HashSet<String>();
            var properties = kept(asset.getProperties(), leftOut);
            var privateProperties = kept(asset.getPrivateProperties(), leftOut);
            return new IndexedAsset(asset.getId(), asset.getParticipantContextId(), properties, privateProperties,
                    leftOut.isEmpty() ? Set.of() : Set.copyOf(leftOut), asset);
        }

        private static Map<String, Object> kept(Map<String, Object> values, Set<String> leftOut) {
            if (values == null || values.isEmpty()) {
                return Map.of();
            }
            var kept = new HashMap<String, Object>(values.size() * 2);
            values.forEach((key, value) -> {
                if (value instanceof Number || value instanceof Boolean
                        || (value instanceof String text && text.length() <= MAX_KEPT_STRING_LENGTH)) {
                    kept.put(key, value);
                } else if (value != null) {
                    leftOut.add(key);
                }
            });
            return kept;
        }

        /** An {@link Asset} with what this entry kept, for EDC's criterion predicates. */
        Asset toAsset() {
            return Asset.Builder.newInstance()
                    .id(id)
                    .participantContextId(participantContextId)
                    .properties(properties)
                    .privateProperties(privateProperties)
                    .build();
        }
    }
}
