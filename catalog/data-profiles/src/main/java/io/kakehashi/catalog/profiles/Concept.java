package io.kakehashi.catalog.profiles;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A SKOS concept of the Kakehashi vocabulary: a sector (a top concept) or a data theme under one. Immutable.
 *
 * @param iri        the concept IRI, e.g. {@code https://w3id.org/kakehashi/vocab/theme/machine-operation}
 * @param prefLabels the preferred labels, one per language
 * @param altLabels  the alternative labels
 * @param broader    the sector a theme belongs to; empty for a sector
 */
public record Concept(String iri, List<Label> prefLabels, List<Label> altLabels, Optional<String> broader) {
    public Concept {
        Objects.requireNonNull(iri, "iri");
        prefLabels = List.copyOf(prefLabels);
        altLabels = List.copyOf(altLabels);
        Objects.requireNonNull(broader, "broader");
    }

    /** The preferred label in {@code language}, if there is one. */
    public Optional<String> prefLabel(String language) {
        return prefLabels.stream().filter(l -> l.language().equals(language)).map(Label::text).findFirst();
    }

    /**
     * Every label, preferred first, in both languages: what a search expands a matched concept to, so that an
     * English query also finds Japanese titles.
     */
    public List<Label> labels() {
        return Stream.concat(prefLabels.stream(), altLabels.stream()).toList();
    }
}
