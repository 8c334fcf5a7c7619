package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.MetadataFormat;
import io.kakehashi.catalog.profiles.MetadataParser;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;

import java.util.ArrayList;

/**
 * Turns a peer's DSP catalog into DCAT that can be searched. A Kakehashi provider (and any EDC connector whose
 * assets carry the {@code kh:dcat} property) lists each dataset with its DCAT metadata as a JSON-LD string in that
 * property; this lifts the metadata onto the DSP dataset node itself (its title, description, keywords, theme,
 * distributions…) and drops the string. A DSP dataset id (an EDC asset id, not an IRI) is resolved against
 * {@code <peer DSP URL>/catalog/datasets/} — the dataset's DSP address — and kept as {@code dct:identifier}.
 * Stateless; thread-safe.
 */
final class EmbeddedMetadata {

    static final org.apache.jena.rdf.model.Property DCAT_PROPERTY = ResourceFactory.createProperty(CatalogNames.KH, "dcat");

    private final MetadataParser parser = new MetadataParser();

    /** The base against which the peer's relative dataset ids resolve. */
    static String datasetBase(Peer peer) {
        var endpoint = peer.dspEndpoint().toString();
        return (endpoint.endsWith("/") ? endpoint : endpoint + "/") + "catalog/datasets/";
    }

    /**
     * Lifts the embedded metadata in {@code catalog} onto its datasets, in place.
     *
     * @return the number of embedded documents that could not be read (left out, the dataset kept as the peer sent it)
     */
    int lift(Model catalog, String base) {
        // ids that are not IRIs (EDC's base64 offer ids) all resolve to the base itself; that node means nothing
        var baseNode = catalog.createResource(base);
        catalog.removeAll(baseNode, null, null);
        catalog.removeAll(null, null, baseNode);
        for (var dataset : catalog.listResourcesWithProperty(RDF.type, DCAT.Dataset).toList()) {
            if (dataset.isURIResource() && dataset.getURI().startsWith(base) && !dataset.hasProperty(DCTerms.identifier)) {
                dataset.addProperty(DCTerms.identifier, dataset.getURI().substring(base.length()));
            }
        }
        var unreadable = 0;
        for (Statement embedded : catalog.listStatements(null, DCAT_PROPERTY, (org.apache.jena.rdf.model.RDFNode) null).toList()) {
            if (!embedded.getObject().isLiteral()) {
                continue;
            }
            var parsed = parser.parse(embedded.getString(), MetadataFormat.JSON_LD);
            var described = parsed.succeeded() ? parsed.getContent().listResourcesWithProperty(RDF.type, DCAT.Dataset).toList() : java.util.List.<Resource>of();
            if (described.size() != 1) {
                unreadable++;
                continue;
            }
            var from = described.get(0).asNode();
            var to = embedded.getSubject().asNode();
            var triples = new ArrayList<Triple>();
            parsed.getContent().getGraph().find().forEachRemaining(t -> triples.add(Triple.create(swap(t.getSubject(), from, to), t.getPredicate(), swap(t.getObject(), from, to))));
            triples.forEach(catalog.getGraph()::add);
            if (described.get(0).isURIResource() && !from.equals(to)) {
                // the provider's own dataset IRI stays findable
                catalog.getGraph().add(Triple.create(to, DCTerms.source.asNode(), from));
            }
            catalog.remove(embedded);
        }
        return unreadable;
    }

    private static Node swap(Node node, Node from, Node to) {
        return node.equals(from) ? to : node;
    }
}
