package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.Vocabulary;
import org.apache.jena.query.Dataset;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.system.Txn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static io.kakehashi.catalog.core.CatalogNames.iri;

/**
 * Puts the shipped SKOS vocabulary (sectors and themes, {@code ja} and {@code en} labels) into
 * {@link CatalogNames#VOCABULARY_GRAPH}, so that SPARQL queries can join a label in one language to datasets titled
 * in the other. Replaced on every install, so a new release's vocabulary wins over a stored old one. Stateless.
 */
public final class VocabularyGraph {

    /** The classpath resource of {@link Vocabulary#shipped()}, in kakehashi-data-profiles. */
    static final String RESOURCE = "kakehashi/vocabulary/sectors-and-themes.ttl";

    private VocabularyGraph() {
    }

    /**
     * Replaces the vocabulary graph of {@code dataset} with the shipped vocabulary, in one write transaction.
     *
     * @throws IllegalStateException if the shipped resource is missing: a broken build
     */
    public static void install(Dataset dataset) {
        var graph = org.apache.jena.sparql.graph.GraphFactory.createGraphMem();
        try (InputStream in = Vocabulary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("shipped resource missing from the classpath: " + RESOURCE);
            }
            RDFParser.source(in).lang(Lang.TURTLE).parse(graph);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var name = iri(CatalogNames.VOCABULARY_GRAPH);
        Txn.executeWrite(dataset, () -> {
            var dsg = dataset.asDatasetGraph();
            dsg.removeGraph(name);
            graph.find().forEach(t -> dsg.add(name, t.getSubject(), t.getPredicate(), t.getObject()));
        });
    }
}
