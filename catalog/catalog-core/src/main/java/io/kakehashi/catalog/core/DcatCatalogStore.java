package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.DataProfiles;
import io.kakehashi.catalog.profiles.MetadataFormat;
import io.kakehashi.catalog.profiles.MetadataParser;
import io.kakehashi.catalog.profiles.ValidatedMetadata;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.Dataset;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.system.Txn;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

import static io.kakehashi.catalog.core.CatalogNames.iri;

/**
 * The connector's own DCAT catalog: each asset's metadata in its own named graph of a Jena {@link Dataset}, plus a
 * description of that graph (asset id, dataset IRI, profiles, update time) in {@link CatalogNames#GRAPHS_GRAPH}.
 * <p>
 * Metadata must describe exactly one {@code dcat:Dataset}. Metadata that claims a Kakehashi data profile (a
 * {@code dct:conformsTo} IRI under {@link DataProfiles#PROFILE_NAMESPACE}) is validated against it before anything is
 * written; malformed input, a violation or an unknown profile is a failed {@link Result} carrying the messages,
 * and the dataset is left untouched. A write replaces the asset's graph and its description in one transaction,
 * so a reader sees either the old metadata or the new, never a mixture.
 * <p>
 * Thread-safe: every access runs in a Jena transaction ({@code Txn.executeRead/executeWrite}), and the dataset
 * serialises writers.
 */
public final class DcatCatalogStore {

    private final Dataset dataset;
    private final Supplier<DataProfiles> profiles;
    private final MetadataParser parser = new MetadataParser();
    private final Clock clock;

    public DcatCatalogStore(Dataset dataset, DataProfiles profiles, Clock clock) {
        this(dataset, constant(Objects.requireNonNull(profiles, "profiles")), clock);
    }

    /**
     * With the profiles asked of {@code profiles} at the first metadata that claims one: the runtime passes
     * {@code DataProfiles::shipped}, so that parsing the SHACL shapes waits for first use instead of start-up.
     */
    public DcatCatalogStore(Dataset dataset, Supplier<DataProfiles> profiles, Clock clock) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static Supplier<DataProfiles> constant(DataProfiles profiles) {
        return () -> profiles;
    }

    /** Checks JSON-LD metadata as {@link #put(String, String)} would, without storing anything. */
    public Result<ValidatedMetadata> check(String jsonLd) {
        return check(jsonLd, MetadataFormat.JSON_LD);
    }

    /** Checks metadata as {@link #put(String, String, MetadataFormat)} would, without storing anything. */
    public Result<ValidatedMetadata> check(String text, MetadataFormat format) {
        return parser.parse(text, format).compose(this::check);
    }

    /** Stores (or replaces) the asset's metadata given as JSON-LD; see {@link #put(String, String, MetadataFormat)}. */
    public Result<StoredAssetMetadata> put(String assetId, String jsonLd) {
        return put(assetId, jsonLd, MetadataFormat.JSON_LD);
    }

    /**
     * Validates and stores the asset's metadata, replacing what was stored for it before.
     *
     * @return what was stored, or the reasons nothing was
     */
    public Result<StoredAssetMetadata> put(String assetId, String text, MetadataFormat format) {
        if (assetId == null || assetId.isBlank()) {
            return Result.failure("the asset id is missing");
        }
        return check(text, format).map(validated -> write(assetId, validated));
    }

    /**
     * Validates every asset's metadata, then stores all of them in one write transaction — the bulk path (an import,
     * a rebuild), far cheaper on TDB2 than one transaction per asset. If any fails, nothing is stored and the
     * failure lists each bad asset's messages prefixed with its id.
     */
    public Result<List<StoredAssetMetadata>> putAll(Map<String, String> jsonLdByAssetId) {
        var validated = new LinkedHashMap<String, ValidatedMetadata>();
        var problems = new ArrayList<String>();
        jsonLdByAssetId.forEach((assetId, text) -> {
            if (assetId == null || assetId.isBlank()) {
                problems.add("the asset id is missing");
                return;
            }
            var checked = check(text, MetadataFormat.JSON_LD);
            if (checked.succeeded()) {
                validated.put(assetId, checked.getContent());
            } else {
                checked.getFailureMessages().forEach(m -> problems.add(assetId + ": " + m));
            }
        });
        if (!problems.isEmpty()) {
            return Result.failure(problems);
        }
        var stored = new ArrayList<StoredAssetMetadata>();
        Txn.executeWrite(dataset, () -> validated.forEach((assetId, metadata) -> stored.add(replace(assetId, metadata))));
        return Result.success(stored);
    }

    /**
     * Removes the asset's metadata; {@code true} if there was any. An asset without metadata costs a read transaction
     * only: on TDB2 every write transaction grows the database, and most assets created without metadata pass here.
     */
    public boolean remove(String assetId) {
        Objects.requireNonNull(assetId, "assetId");
        var graph = iri(CatalogNames.assetGraph(assetId));
        if (!Txn.calculateRead(dataset, () -> hasGraph(graph))) {
            return false;
        }
        return Txn.calculateWrite(dataset, () -> {
            var existed = hasGraph(graph);
            var dsg = dataset.asDatasetGraph();
            dsg.removeGraph(graph);
            dsg.deleteAny(iri(CatalogNames.GRAPHS_GRAPH), graph, Node.ANY, Node.ANY);
            return existed;
        });
    }

    // inside a transaction
    private boolean hasGraph(Node graph) {
        var dsg = dataset.asDatasetGraph();
        return dsg.containsGraph(graph) || dsg.getGraph(iri(CatalogNames.GRAPHS_GRAPH)).contains(graph, Node.ANY, Node.ANY);
    }

    /** A copy of the asset's stored metadata, if any; the caller owns it. */
    public Optional<Model> metadata(String assetId) {
        Objects.requireNonNull(assetId, "assetId");
        var graph = iri(CatalogNames.assetGraph(assetId));
        return Txn.calculateRead(dataset, () -> {
            var dsg = dataset.asDatasetGraph();
            if (!dsg.containsGraph(graph)) {
                return Optional.empty();
            }
            var copy = ModelFactory.createDefaultModel();
            dsg.getGraph(graph).find().forEach(copy.getGraph()::add);
            return Optional.of(copy);
        });
    }

    /**
     * The stored dataset's properties as expanded JSON-LD values ({@link DatasetDescription}), for a DSP catalog
     * entry; empty if the asset has no metadata.
     */
    public Optional<Map<String, Object>> datasetDescription(String assetId) {
        Objects.requireNonNull(assetId, "assetId");
        var graph = iri(CatalogNames.assetGraph(assetId));
        return Txn.calculateRead(dataset, () -> {
            var dsg = dataset.asDatasetGraph();
            if (!dsg.containsGraph(graph)) {
                return Optional.empty();
            }
            var model = ModelFactory.createModelForGraph(dsg.getGraph(graph));
            var datasets = model.listResourcesWithProperty(RDF.type, DCAT.Dataset).toList();
            if (datasets.size() != 1) {
                return Optional.empty();
            }
            return Optional.of(DatasetDescription.of(model, datasets.get(0)));
        });
    }

    /** The ids of the assets with stored metadata, sorted. */
    public List<String> assetIds() {
        return Txn.calculateRead(dataset, () -> {
            var ids = new TreeSet<String>();
            dataset.asDatasetGraph().find(iri(CatalogNames.GRAPHS_GRAPH), Node.ANY, iri(CatalogNames.ASSET_ID), Node.ANY)
                    .forEachRemaining(quad -> ids.add(quad.getObject().getLiteralLexicalForm()));
            return List.copyOf(ids);
        });
    }

    private Result<ValidatedMetadata> check(Model model) {
        var datasets = model.listResourcesWithProperty(RDF.type, DCAT.Dataset).toList();
        if (datasets.size() != 1) {
            return Result.failure("the metadata must describe exactly one dcat:Dataset (a node with \"@type\": \"dcat:Dataset\"), found %d"
                    .formatted(datasets.size()));
        }
        if (claimsProfile(datasets.get(0))) {
            return profiles.get().validate(model);
        }
        return Result.success(new ValidatedMetadata(List.of(), model));
    }

    private static boolean claimsProfile(Resource dataset) {
        return dataset.listProperties(DCTerms.conformsTo).toList().stream()
                .map(s -> s.getObject())
                .filter(RDFNode::isURIResource)
                .anyMatch(o -> o.asResource().getURI().startsWith(DataProfiles.PROFILE_NAMESPACE));
    }

    private StoredAssetMetadata write(String assetId, ValidatedMetadata validated) {
        return Txn.calculateWrite(dataset, () -> replace(assetId, validated));
    }

    // inside a write transaction
    private StoredAssetMetadata replace(String assetId, ValidatedMetadata validated) {
        var graphIri = CatalogNames.assetGraph(assetId);
        var graph = iri(graphIri);
        var describedBy = iri(CatalogNames.GRAPHS_GRAPH);
        var datasetNode = validated.model().listResourcesWithProperty(RDF.type, DCAT.Dataset).next();
        var datasetIri = datasetNode.isURIResource() ? datasetNode.getURI() : null;
        var now = NodeFactory.createLiteralDT(clock.instant().toString(), XSDDatatype.XSDdateTime);
        var triples = validated.model().getGraph().find().toList();
        DatasetGraph dsg = dataset.asDatasetGraph();
        dsg.removeGraph(graph);
        dsg.deleteAny(describedBy, graph, Node.ANY, Node.ANY);
        triples.forEach(t -> dsg.add(graph, t.getSubject(), t.getPredicate(), t.getObject()));
        dsg.add(describedBy, graph, RDF.type.asNode(), iri(CatalogNames.ASSET_GRAPH));
        dsg.add(describedBy, graph, iri(CatalogNames.ASSET_ID), NodeFactory.createLiteralString(assetId));
        dsg.add(describedBy, graph, iri(CatalogNames.UPDATED_AT), now);
        if (datasetIri != null) {
            dsg.add(describedBy, graph, iri(CatalogNames.DATASET), iri(datasetIri));
        }
        validated.profileIris().forEach(p -> dsg.add(describedBy, graph, DCTerms.conformsTo.asNode(), iri(p)));
        return new StoredAssetMetadata(assetId, graphIri, datasetIri, validated.profileIris(), triples.size());
    }
}
