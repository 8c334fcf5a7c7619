package io.kakehashi.catalog.core;

import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The names the catalog dataset is organised by: one named graph per own asset ({@code urn:kakehashi:catalog:asset:<id>}),
 * one per peer ({@code urn:kakehashi:catalog:peer:<id>}), the graph that records what each of those is
 * ({@link #GRAPHS_GRAPH}) and the vocabulary graph ({@link #VOCABULARY_GRAPH}). Identifiers are percent-encoded
 * into the graph IRI so that any asset or peer id gives a valid, distinct IRI. Constants only; thread-safe.
 */
public final class CatalogNames {

    /** Kakehashi's own terms, shared with the data profiles. */
    public static final String KH = "https://w3id.org/kakehashi/ns#";

    /** The graph holding one description per asset graph and per peer graph (ids, times, profiles, errors). */
    public static final String GRAPHS_GRAPH = "urn:kakehashi:catalog:graphs";
    /** The graph holding the SKOS vocabulary of sectors and themes, reloaded from the classpath at start. */
    public static final String VOCABULARY_GRAPH = "urn:kakehashi:catalog:vocabulary";

    public static final String ASSET_GRAPH_PREFIX = "urn:kakehashi:catalog:asset:";
    public static final String PEER_GRAPH_PREFIX = "urn:kakehashi:catalog:peer:";

    /** Type of a graph holding one own asset's metadata. */
    public static final String ASSET_GRAPH = KH + "AssetGraph";
    /** Type of a graph holding one peer's catalog as it last answered. */
    public static final String PEER_GRAPH = KH + "PeerCatalogGraph";
    public static final String ASSET_ID = KH + "assetId";
    public static final String DATASET = KH + "dataset";
    public static final String UPDATED_AT = KH + "updatedAt";
    public static final String PEER_ID = KH + "peerId";
    public static final String ENDPOINT = KH + "endpoint";
    public static final String FETCHED_AT = KH + "fetchedAt";
    public static final String LAST_ATTEMPT_AT = KH + "lastAttemptAt";
    public static final String LAST_ERROR = KH + "lastError";

    private CatalogNames() {
    }

    /** The named graph of an own asset. */
    public static String assetGraph(String assetId) {
        return ASSET_GRAPH_PREFIX + encode(assetId);
    }

    /** The named graph of a peer's catalog. */
    public static String peerGraph(String peerId) {
        return PEER_GRAPH_PREFIX + encode(peerId);
    }

    static Node iri(String iri) {
        return NodeFactory.createURI(iri);
    }

    private static String encode(String id) {
        // URLEncoder writes a space as '+', which is legal but ambiguous in an IRI; %20 keeps ids distinct
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
