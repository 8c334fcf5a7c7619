package io.kakehashi.catalog.profiles;

import org.apache.jena.rdf.model.Model;

import java.util.List;
import java.util.Objects;

/**
 * Metadata that conforms to the profiles it was checked against.
 * <p>
 * The record is immutable but the {@link Model} is not: it is the parsed graph itself, handed over to the caller
 * (who will store it), never shared with {@link DataProfiles}. Not safe for concurrent modification.
 *
 * @param profileIris the profiles the metadata was validated against, sorted
 * @param model       the validated graph
 */
public record ValidatedMetadata(List<String> profileIris, Model model) {
    public ValidatedMetadata {
        profileIris = List.copyOf(profileIris);
        Objects.requireNonNull(model, "model");
    }
}
