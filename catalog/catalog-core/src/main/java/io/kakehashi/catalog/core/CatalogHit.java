package io.kakehashi.catalog.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One dataset a search found, in the own catalog or a peer's copy. Immutable.
 *
 * @param graphIri   the named graph it was found in
 * @param datasetIri the dataset's IRI (or blank-node label)
 * @param assetId    the own asset it describes, if it is in the own catalog
 * @param peerId     the peer whose catalog holds it, if it is a peer's
 * @param fetchedAt  when that peer's copy was fetched, for a peer's dataset
 * @param titles     its {@code dct:title}s by language tag ({@code ""} for an untagged one)
 */
public record CatalogHit(String graphIri, String datasetIri, Optional<String> assetId, Optional<String> peerId,
                         Optional<Instant> fetchedAt, Map<String, String> titles) {
    public CatalogHit {
        Objects.requireNonNull(graphIri, "graphIri");
        Objects.requireNonNull(datasetIri, "datasetIri");
        titles = Map.copyOf(titles);
    }
}
