package io.kakehashi.catalog.core;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.RDF;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A dataset's properties from its graph in expanded JSON-LD form, as plain Java values (maps, lists, strings), for
 * a DSP catalog entry: each property IRI maps to a list of value objects ({@code {"@value", "@language"|"@type"}}),
 * node references ({@code {"@id"}}) or embedded blank nodes (their own properties, nested). Left out: {@code @type}
 * and {@code dcat:distribution} (in a DSP catalog those describe how to obtain the data, and the connector fills
 * them). Blank nodes are embedded up to a fixed depth, and never twice on one path (cycles). Stateless;
 * thread-safe.
 */
public final class DatasetDescription {

    private static final int MAX_DEPTH = 4;
    private static final Set<String> LEFT_OUT = Set.of(RDF.type.getURI(), DCAT.distribution.getURI());

    private DatasetDescription() {
    }

    /** The properties of {@code dataset} in {@code model}, keyed by property IRI, sorted for a stable output. */
    public static Map<String, Object> of(Model model, Resource dataset) {
        return properties(dataset, LEFT_OUT, 0, new HashSet<>());
    }

    private static Map<String, Object> properties(Resource node, Set<String> leftOut, int depth, Set<Resource> path) {
        var grouped = new TreeMap<String, List<Object>>();
        node.listProperties().forEachRemaining(statement -> {
            var property = statement.getPredicate().getURI();
            if (leftOut.contains(property)) {
                return;
            }
            var value = value(statement.getObject(), depth, path);
            if (value != null) {
                grouped.computeIfAbsent(property, k -> new ArrayList<>()).add(value);
            }
        });
        return new LinkedHashMap<>(grouped);
    }

    private static Object value(RDFNode node, int depth, Set<Resource> path) {
        if (node.isLiteral()) {
            return literal(node.asLiteral());
        }
        var resource = node.asResource();
        if (resource.isURIResource()) {
            return Map.of("@id", resource.getURI());
        }
        if (depth >= MAX_DEPTH || !path.add(resource)) {
            return null;
        }
        var nested = new LinkedHashMap<String, Object>();
        var types = resource.listProperties(RDF.type).toList().stream()
                .filter(s -> s.getObject().isURIResource())
                .map(s -> s.getObject().asResource().getURI())
                .sorted()
                .toList();
        if (!types.isEmpty()) {
            nested.put("@type", types);
        }
        nested.putAll(properties(resource, Set.of(RDF.type.getURI()), depth + 1, path));
        path.remove(resource);
        return nested;
    }

    private static Map<String, Object> literal(Literal literal) {
        var value = new LinkedHashMap<String, Object>();
        value.put("@value", literal.getLexicalForm());
        if (!literal.getLanguage().isEmpty()) {
            value.put("@language", literal.getLanguage());
        } else if (literal.getDatatypeURI() != null && !XSDDatatype.XSDstring.getURI().equals(literal.getDatatypeURI())) {
            value.put("@type", literal.getDatatypeURI());
        }
        return value;
    }
}
