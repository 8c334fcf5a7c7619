package io.kakehashi.catalog.profiles;

import java.util.Objects;

/**
 * One shipped data profile: its IRI (the value a dataset puts in {@code dct:conformsTo}), its labels and the
 * classpath resource holding its SHACL shapes. Immutable.
 *
 * @param iri          the profile IRI, e.g. {@code https://w3id.org/kakehashi/profiles/mobility/probe-data/v1}
 * @param labelEn      the English label
 * @param labelJa      the Japanese label
 * @param resourceName the classpath resource of the profile's own shapes (the common shapes are added to it)
 */
public record DataProfile(String iri, String labelEn, String labelJa, String resourceName) {
    public DataProfile {
        Objects.requireNonNull(iri, "iri");
        Objects.requireNonNull(labelEn, "labelEn");
        Objects.requireNonNull(labelJa, "labelJa");
        Objects.requireNonNull(resourceName, "resourceName");
    }
}
