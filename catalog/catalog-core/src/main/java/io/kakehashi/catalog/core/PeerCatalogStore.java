package io.kakehashi.catalog.core;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.Dataset;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.system.Txn;
import org.apache.jena.vocabulary.RDF;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import static io.kakehashi.catalog.core.CatalogNames.iri;

/**
 * The federated part of the catalog: each peer's last good catalog in its own named graph
 * ({@link CatalogNames#peerGraph(String)}), described in {@link CatalogNames#GRAPHS_GRAPH} by its peer id, endpoint,
 * fetch time ({@code kh:fetchedAt}), last attempt and last error. A good answer replaces the peer's graph and its
 * fetch time in one transaction; a failure only records the attempt and the error, so the last good copy stays.
 * <p>
 * Thread-safe: every access runs in a Jena transaction.
 */
public final class PeerCatalogStore {

    private final Dataset dataset;

    public PeerCatalogStore(Dataset dataset) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
    }

    /** Replaces the peer's copy with {@code catalog}, fetched at {@code fetchedAt}. */
    public void replace(Peer peer, Model catalog, Instant fetchedAt) {
        var graph = iri(CatalogNames.peerGraph(peer.id()));
        var triples = catalog.getGraph().find().toList();
        Txn.executeWrite(dataset, () -> {
            var dsg = dataset.asDatasetGraph();
            dsg.removeGraph(graph);
            triples.forEach(t -> dsg.add(graph, t.getSubject(), t.getPredicate(), t.getObject()));
            describe(peer, graph);
            set(graph, CatalogNames.FETCHED_AT, time(fetchedAt));
            set(graph, CatalogNames.LAST_ATTEMPT_AT, time(fetchedAt));
            set(graph, CatalogNames.LAST_ERROR, null);
        });
    }

    /** Records a failed attempt; the peer's last good copy, if any, is kept. */
    public void recordFailure(Peer peer, Instant attemptedAt, String error) {
        var graph = iri(CatalogNames.peerGraph(peer.id()));
        Txn.executeWrite(dataset, () -> {
            describe(peer, graph);
            set(graph, CatalogNames.LAST_ATTEMPT_AT, time(attemptedAt));
            set(graph, CatalogNames.LAST_ERROR, NodeFactory.createLiteralString(error));
        });
    }

    /** What is known about the peer's copy, if it was ever asked. */
    public Optional<PeerCatalogStatus> status(String peerId) {
        var graph = iri(CatalogNames.peerGraph(peerId));
        return Txn.calculateRead(dataset, () -> {
            var meta = dataset.asDatasetGraph().getGraph(iri(CatalogNames.GRAPHS_GRAPH));
            if (!meta.contains(graph, RDF.type.asNode(), iri(CatalogNames.PEER_GRAPH))) {
                return Optional.empty();
            }
            return Optional.of(new PeerCatalogStatus(peerId, graph.getURI(),
                    value(graph, CatalogNames.FETCHED_AT).map(n -> Instant.parse(n.getLiteralLexicalForm())),
                    value(graph, CatalogNames.LAST_ATTEMPT_AT).map(n -> Instant.parse(n.getLiteralLexicalForm())),
                    value(graph, CatalogNames.LAST_ERROR).map(Node::getLiteralLexicalForm)));
        });
    }

    /** The number of triples in the peer's copy (0 if none). */
    public long size(String peerId) {
        var graph = iri(CatalogNames.peerGraph(peerId));
        return Txn.calculateRead(dataset, () -> dataset.asDatasetGraph().getGraph(graph).size());
    }

    private void describe(Peer peer, Node graph) {
        set(graph, RDF.type.getURI(), iri(CatalogNames.PEER_GRAPH));
        set(graph, CatalogNames.PEER_ID, NodeFactory.createLiteralString(peer.id()));
        set(graph, CatalogNames.ENDPOINT, NodeFactory.createLiteralString(peer.dspEndpoint().toString()));
    }

    // inside a write transaction: one value per property
    private void set(Node graph, String property, Node value) {
        var meta = iri(CatalogNames.GRAPHS_GRAPH);
        var dsg = dataset.asDatasetGraph();
        dsg.deleteAny(meta, graph, iri(property), Node.ANY);
        if (value != null) {
            dsg.add(meta, graph, iri(property), value);
        }
    }

    // inside a read transaction
    private Optional<Node> value(Node graph, String property) {
        var found = dataset.asDatasetGraph().find(iri(CatalogNames.GRAPHS_GRAPH), graph, iri(property), Node.ANY);
        return found.hasNext() ? Optional.of(found.next().getObject()) : Optional.empty();
    }

    private static Node time(Instant instant) {
        return NodeFactory.createLiteralDT(instant.toString(), XSDDatatype.XSDdateTime);
    }
}
