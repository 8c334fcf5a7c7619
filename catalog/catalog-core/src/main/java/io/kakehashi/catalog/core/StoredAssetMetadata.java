package io.kakehashi.catalog.core;

import java.util.List;
import java.util.Objects;

/**
 * What the catalog stored for an asset. Immutable.
 *
 * @param assetId     the EDC asset id
 * @param graphIri    the named graph holding the metadata
 * @param datasetIri  the IRI of the described {@code dcat:Dataset}, or {@code null} if it is a blank node
 * @param profileIris the data profiles it was validated against; empty if it claims none
 * @param tripleCount the number of triples stored
 */
public record StoredAssetMetadata(String assetId, String graphIri, String datasetIri, List<String> profileIris, long tripleCount) {
    public StoredAssetMetadata {
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(graphIri, "graphIri");
        profileIris = List.copyOf(profileIris);
    }
}
