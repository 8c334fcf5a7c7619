package io.kakehashi.catalog.profiles;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.shacl.validation.Severity;
import org.apache.jena.shared.PrefixMapping;
import org.apache.jena.sparql.core.Prologue;
import org.apache.jena.sparql.path.PathWriter;
import org.apache.jena.sparql.util.FmtUtils;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The data profiles shipped with Kakehashi, and validation of dataset metadata against them.
 * <p>
 * A profile is a set of SHACL shapes (the shapes every profile shares plus the sector's own) identified by an
 * IRI that conforming metadata names in {@code dct:conformsTo} on its {@code dcat:Dataset}. Validation either
 * follows that claim or checks a profile the caller names. The outcome is a {@link Result}: on success the
 * {@link ValidatedMetadata} with the model; on failure a sorted list of readable messages, one per SHACL result
 * ({@code <focus node> <path>: <English message> / <Japanese message>}), or one message saying that the metadata
 * is malformed, describes no dataset, claims no profile or claims an unknown one. Nothing is thrown for bad input.
 * <p>
 * The shipped profiles are loaded from the classpath once, on first use of {@link #shipped()}. An instance is
 * immutable and safe for concurrent use: its parsed shapes are only ever read.
 */
public final class DataProfiles {

    /** Every Kakehashi profile IRI starts with this; a claimed IRI under it that is not shipped is a typo or a newer profile. */
    public static final String PROFILE_NAMESPACE = "https://w3id.org/kakehashi/profiles/";

    private static final String RESOURCE_DIR = "kakehashi/profiles/";
    private static final String COMMON_SHAPES = RESOURCE_DIR + "dataset-common.ttl";
    private static final List<String> PROFILE_RESOURCES = List.of(
            RESOURCE_DIR + "mobility-probe-data-v1.ttl",
            RESOURCE_DIR + "manufacturing-machine-operation-v1.ttl",
            RESOURCE_DIR + "plant-safety-inspection-records-v1.ttl",
            RESOURCE_DIR + "smart-life-e-receipts-v1.ttl",
            RESOURCE_DIR + "bio-materials-culture-data-v1.ttl");
    private static final String PROF_PROFILE = "http://www.w3.org/ns/dx/prof/Profile";

    // Used only to print report paths and nodes compactly; fixed so that messages are stable.
    private static final PrefixMapping REPORT_PREFIXES = PrefixMapping.Factory.create()
            .setNsPrefix("dct", DCTerms.NS)
            .setNsPrefix("dcat", DCAT.NS)
            .setNsPrefix("kh", "https://w3id.org/kakehashi/ns#")
            .setNsPrefix("xsd", "http://www.w3.org/2001/XMLSchema#")
            .setNsPrefix("rdf", RDF.uri)
            .lock();

    private final Map<String, LoadedProfile> profiles;
    private final MetadataParser parser = new MetadataParser();

    private DataProfiles(Map<String, LoadedProfile> profiles) {
        this.profiles = profiles;
    }

    /**
     * The profiles shipped in this module, loaded on first call.
     *
     * @throws IllegalStateException if a shipped resource is missing or malformed: a broken build, not bad input
     */
    public static DataProfiles shipped() {
        return Holder.INSTANCE;
    }

    /** The shipped profiles, in a fixed order (mobility, manufacturing, plant safety, smart life, bio). */
    public List<DataProfile> profiles() {
        return profiles.values().stream().map(LoadedProfile::profile).toList();
    }

    /** The profile with this IRI, if it is shipped. */
    public Optional<DataProfile> profile(String iri) {
        return Optional.ofNullable(profiles.get(iri)).map(LoadedProfile::profile);
    }

    /** Parses {@code text} and validates it against the profile(s) it claims in {@code dct:conformsTo}. */
    public Result<ValidatedMetadata> validate(String text, MetadataFormat format) {
        return parser.parse(text, format).compose(this::validate);
    }

    /** Parses {@code text} and validates it against the named profile, whatever it claims. */
    public Result<ValidatedMetadata> validate(String text, MetadataFormat format, String profileIri) {
        return parser.parse(text, format).compose(model -> validate(model, profileIri));
    }

    /**
     * Validates a model against the profile(s) its datasets claim in {@code dct:conformsTo}. Claims outside
     * {@link #PROFILE_NAMESPACE} (other standards a dataset conforms to) are allowed next to a shipped profile.
     */
    public Result<ValidatedMetadata> validate(Model model) {
        Objects.requireNonNull(model, "model");
        var datasets = datasets(model);
        if (datasets.isEmpty()) {
            return Result.failure(noDatasetMessage());
        }
        var claims = new TreeSet<String>();
        for (var dataset : datasets) {
            dataset.listProperties(DCTerms.conformsTo).forEachRemaining(s -> {
                RDFNode object = s.getObject();
                claims.add(object.isURIResource() ? object.asResource().getURI() : object.toString());
            });
        }
        if (claims.isEmpty()) {
            return Result.failure("the metadata claims no data profile: its dcat:Dataset has no dct:conformsTo; known profiles: "
                    + knownProfiles());
        }
        var unknown = claims.stream()
                .filter(iri -> !profiles.containsKey(iri))
                .filter(iri -> iri.startsWith(PROFILE_NAMESPACE))
                .toList();
        var known = claims.stream().filter(profiles::containsKey).toList();
        if (!unknown.isEmpty() || known.isEmpty()) {
            var named = unknown.isEmpty() ? List.copyOf(claims) : unknown;
            return Result.failure("unknown data profile %s; known profiles: %s".formatted(
                    named.stream().map(iri -> "<" + iri + ">").collect(Collectors.joining(", ")), knownProfiles()));
        }
        return check(model, known);
    }

    /** Validates a model against the named profile, whatever the metadata claims (the profile's shapes require the claim). */
    public Result<ValidatedMetadata> validate(Model model, String profileIri) {
        Objects.requireNonNull(model, "model");
        if (!profiles.containsKey(profileIri)) {
            return Result.failure("unknown data profile <%s>; known profiles: %s".formatted(profileIri, knownProfiles()));
        }
        if (datasets(model).isEmpty()) {
            return Result.failure(noDatasetMessage());
        }
        return check(model, List.of(profileIri));
    }

    private Result<ValidatedMetadata> check(Model model, List<String> profileIris) {
        var messages = new TreeSet<String>();
        for (var iri : profileIris) {
            var report = ShaclValidator.get().validate(profiles.get(iri).shapes(), model.getGraph());
            report.getEntries().forEach(entry -> messages.add(describe(entry)));
        }
        if (!messages.isEmpty()) {
            return Result.failure(List.copyOf(messages));
        }
        return Result.success(new ValidatedMetadata(profileIris, model));
    }

    private static List<Resource> datasets(Model model) {
        return model.listResourcesWithProperty(RDF.type, DCAT.Dataset).toList();
    }

    private static String noDatasetMessage() {
        return "the metadata describes no dcat:Dataset (a node with \"@type\": \"dcat:Dataset\")";
    }

    private String knownProfiles() {
        return profiles.keySet().stream().map(iri -> "<" + iri + ">").collect(Collectors.joining(", "));
    }

    /** {@code <focus> <path>: <en message> / <ja message> (value: <value>)}; blank nodes print as {@code []} so messages are stable. */
    static String describe(ReportEntry entry) {
        var text = new StringBuilder();
        if (entry.severity() != null && !Severity.Violation.equals(entry.severity())) {
            text.append(entry.severity().level().getLocalName()).append(": ");
        }
        text.append(node(entry.focusNode()));
        if (entry.resultPath() != null) {
            text.append(' ').append(PathWriter.asString(entry.resultPath(), new Prologue(REPORT_PREFIXES)));
        }
        text.append(": ").append(message(entry));
        if (entry.value() != null && !entry.value().equals(entry.focusNode())) {
            text.append(" (value: ").append(node(entry.value())).append(')');
        }
        return text.toString();
    }

    private static String message(ReportEntry entry) {
        Collection<Node> messages = entry.messages();
        var english = byLanguage(messages, "en");
        var japanese = byLanguage(messages, "ja");
        if (english.isPresent() && japanese.isPresent()) {
            return english.get() + " / " + japanese.get();
        }
        return english.or(() -> japanese).orElseGet(entry::message);
    }

    private static Optional<String> byLanguage(Collection<Node> messages, String language) {
        if (messages == null) {
            return Optional.empty();
        }
        return messages.stream()
                .filter(Node::isLiteral)
                .filter(n -> language.equalsIgnoreCase(n.getLiteralLanguage()))
                .map(Node::getLiteralLexicalForm)
                .findFirst();
    }

    private static String node(Node node) {
        return node.isBlank() ? "[]" : FmtUtils.stringForNode(node, REPORT_PREFIXES);
    }

    private static Graph readResource(String name) {
        try (InputStream in = DataProfiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("shipped resource missing from the classpath: " + name);
            }
            return RDFParser.source(in).lang(Lang.TURTLE).toGraph();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read shipped resource " + name, e);
        }
    }

    private static DataProfiles load() {
        var common = readResource(COMMON_SHAPES);
        var loaded = new LinkedHashMap<String, LoadedProfile>();
        for (var resourceName : PROFILE_RESOURCES) {
            var model = ModelFactory.createDefaultModel();
            model.getGraph().getPrefixMapping().setNsPrefixes(common.getPrefixMapping());
            common.find().forEach(model.getGraph()::add);
            readResource(resourceName).find().forEach(model.getGraph()::add);
            var declared = model.listResourcesWithProperty(RDF.type, model.createResource(PROF_PROFILE)).toList();
            if (declared.size() != 1) {
                throw new IllegalStateException("%s must declare exactly one prof:Profile, found %d".formatted(resourceName, declared.size()));
            }
            var iri = declared.get(0).getURI();
            var profile = new DataProfile(iri, label(declared.get(0), "en"), label(declared.get(0), "ja"), resourceName);
            if (loaded.put(iri, new LoadedProfile(profile, Shapes.parse(model.getGraph()))) != null) {
                throw new IllegalStateException("profile <%s> is declared twice".formatted(iri));
            }
        }
        return new DataProfiles(Collections.unmodifiableMap(loaded));
    }

    private static String label(Resource profile, String language) {
        var labels = new ArrayList<String>();
        profile.listProperties(RDFS.label).forEachRemaining(s -> {
            if (s.getObject().isLiteral()) {
                Literal literal = s.getLiteral();
                if (language.equals(literal.getLanguage())) {
                    labels.add(literal.getLexicalForm());
                }
            }
        });
        if (labels.size() != 1) {
            throw new IllegalStateException("profile <%s> needs exactly one rdfs:label@%s".formatted(profile.getURI(), language));
        }
        return labels.get(0);
    }

    private record LoadedProfile(DataProfile profile, Shapes shapes) {
    }

    // Lazy, thread-safe initialisation by the class loader: the profiles are parsed once, on first use.
    private static final class Holder {
        private static final DataProfiles INSTANCE = load();
    }
}
