package io.kakehashi.catalog.profiles;

import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.SKOS;

import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Kakehashi SKOS concept scheme of sectors and data themes, with Japanese and English labels, and a lookup
 * from free text to concepts.
 * <p>
 * {@link #conceptsMatching(String)} compares after Unicode NFKC normalisation (so full-width ＡＢＣ equals ABC and
 * half-width ｶﾅ equals カナ), case folding and whitespace collapsing; a concept matches when one of its labels, in
 * either language, contains the query. Exact label matches come first.
 * <p>
 * Loaded once from the classpath on first use of {@link #shipped()}; immutable and safe for concurrent use.
 */
public final class Vocabulary {

    /** The namespace of the scheme, its sectors ({@code sector/…}) and themes ({@code theme/…}). */
    public static final String NAMESPACE = "https://w3id.org/kakehashi/vocab/";
    private static final String RESOURCE = "kakehashi/vocabulary/sectors-and-themes.ttl";

    private final List<Concept> concepts;

    private Vocabulary(List<Concept> concepts) {
        this.concepts = List.copyOf(concepts);
    }

    /**
     * The shipped vocabulary.
     *
     * @throws IllegalStateException if the shipped resource is missing or malformed: a broken build
     */
    public static Vocabulary shipped() {
        return Holder.INSTANCE;
    }

    /** Every concept, sectors first, then themes, each group sorted by IRI. */
    public List<Concept> concepts() {
        return concepts;
    }

    /** The concept with this IRI, if the vocabulary has it. */
    public Optional<Concept> concept(String iri) {
        return concepts.stream().filter(c -> c.iri().equals(iri)).findFirst();
    }

    /**
     * The concepts with a label containing {@code text}, in Japanese or English, ignoring case and width.
     * Concepts with a label equal to the text come first. A blank text matches nothing.
     */
    public List<Concept> conceptsMatching(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        var query = normalise(text);
        var exact = new ArrayList<Concept>();
        var partial = new ArrayList<Concept>();
        for (var concept : concepts) {
            var labels = concept.labels().stream().map(l -> normalise(l.text())).toList();
            if (labels.contains(query)) {
                exact.add(concept);
            } else if (labels.stream().anyMatch(l -> l.contains(query))) {
                partial.add(concept);
            }
        }
        exact.addAll(partial);
        return List.copyOf(exact);
    }

    /** The form labels and queries are compared in: NFKC, lower case, whitespace collapsed and stripped. */
    public static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .strip()
                .replaceAll("\\s+", " ");
    }

    private static Vocabulary load() {
        Model model = ModelFactory.createDefaultModel();
        try (InputStream in = Vocabulary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("shipped resource missing from the classpath: " + RESOURCE);
            }
            RDFParser.source(in).lang(Lang.TURTLE).parse(model);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read shipped resource " + RESOURCE, e);
        }
        var concepts = new ArrayList<Concept>();
        model.listResourcesWithProperty(RDF.type, SKOS.Concept).forEachRemaining(r -> concepts.add(concept(r)));
        // sectors (no broader) first, then themes; by IRI inside each group, so the order does not depend on Jena's
        concepts.sort(Comparator.comparing((Concept c) -> c.broader().isPresent()).thenComparing(Concept::iri));
        return new Vocabulary(concepts);
    }

    private static Concept concept(Resource resource) {
        var broader = Optional.ofNullable(resource.getPropertyResourceValue(SKOS.broader)).map(Resource::getURI);
        return new Concept(resource.getURI(), labels(resource, SKOS.prefLabel), labels(resource, SKOS.altLabel), broader);
    }

    private static List<Label> labels(Resource resource, Property property) {
        var labels = new ArrayList<Label>();
        resource.listProperties(property).forEachRemaining(s -> {
            var literal = s.getLiteral();
            labels.add(new Label(literal.getLexicalForm(), literal.getLanguage().toLowerCase(Locale.ROOT)));
        });
        // Jena's order is not stable; English first, then Japanese, then by text
        labels.sort(Comparator.comparing(Label::language).thenComparing(Label::text));
        return labels;
    }

    private static final class Holder {
        private static final Vocabulary INSTANCE = load();
    }
}
