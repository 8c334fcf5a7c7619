package io.kakehashi.ai.extension;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.ai.extension.ComputeJsonLd.KH;

/**
 * The shape of one JSON-LD request of the compute API, read on its expanded form: its {@code @type}, the members it
 * must and may have (terms of {@value ComputeJsonLd#KH}), which of them are lists and which hold a nested request.
 * As a {@link Validator} it names every member that is missing, unknown, repeated or of the wrong kind, by its term and
 * place ({@code job.type}, {@code participants[1].agreementId}); {@link #toPlain} then gives the request in the plain
 * form, so that both forms are read by one reader of their meaning (ranges, URLs, job types). Immutable; thread-safe.
 *
 * @param type         the expanded {@code @type}
 * @param typeRequired whether the object must name its type (the top of a request must; a nested one may)
 */
public record ComputeRequestShape(String type, boolean typeRequired, Set<String> mandatory, Set<String> optional, Set<String> lists,
                                  Map<String, ComputeRequestShape> nested) implements Validator<JsonObject> {

    private static final String VALUE = "@value";
    private static final String LIST = "@list";

    public ComputeRequestShape {
        mandatory = Set.copyOf(mandatory);
        optional = Set.copyOf(optional);
        lists = Set.copyOf(lists);
        nested = Map.copyOf(nested);
    }

    @Override
    public ValidationResult validate(JsonObject expanded) {
        var violations = new ArrayList<Violation>();
        check(expanded, "", violations);
        return violations.isEmpty() ? ValidationResult.success() : ValidationResult.failure(violations);
    }

    private void check(JsonObject object, String at, List<Violation> violations) {
        var types = object.get("@type");
        if (types == null) {
            if (typeRequired) {
                violations.add(Violation.violation("%s@type: must be %s".formatted(at, compact(type)), at + "@type"));
            }
        } else if (!(types instanceof JsonArray array) || !array.contains(Json.createValue(type))) {
            violations.add(Violation.violation("%s@type: must be %s, not %s".formatted(at, compact(type), compactTypes(types)), at + "@type", types.toString()));
        }
        for (var term : mandatory) {
            if (!object.containsKey(KH + term)) {
                violations.add(Violation.violation("%s%s: mandatory, missing".formatted(at, term), at + term));
            }
        }
        for (var entry : object.entrySet()) {
            var key = entry.getKey();
            if (key.startsWith("@")) {
                if (!key.equals("@type") && !key.equals("@id")) {
                    violations.add(Violation.violation("%s%s: not expected here".formatted(at, key), at + key));
                }
                continue;
            }
            var term = key.startsWith(KH) ? key.substring(KH.length()) : null;
            if (term == null || !(mandatory.contains(term) || optional.contains(term))) {
                // a term no context names expands in EDC's vocabulary: say how to name Kakehashi's
                var hint = key.startsWith(ComputeJsonLd.EDC) ? "; name Kakehashi's terms with \"@vocab\": \"%s\"".formatted(KH) : "";
                violations.add(Violation.violation("%s%s: unknown member (known: %s)%s".formatted(at, term == null ? key : term, known(), hint),
                        at + (term == null ? key : term)));
                continue;
            }
            var items = items(entry.getValue());
            if (items == null) {
                violations.add(Violation.violation("%s%s: not a JSON-LD value".formatted(at, term), at + term));
                continue;
            }
            if (!lists.contains(term) && items.size() != 1) {
                violations.add(Violation.violation("%s%s: one value expected, not %d".formatted(at, term, items.size()), at + term));
                continue;
            }
            var inner = nested.get(term);
            for (var i = 0; i < items.size(); i++) {
                var item = items.get(i);
                var place = at + term + (lists.contains(term) ? "[" + i + "]" : "");
                if (inner != null) {
                    if (item.getValueType() != JsonValue.ValueType.OBJECT || item.asJsonObject().containsKey(VALUE)) {
                        violations.add(Violation.violation("%s: must be an object".formatted(place), place));
                    } else {
                        inner.check(item.asJsonObject(), place + ".", violations);
                    }
                } else if (item.getValueType() == JsonValue.ValueType.OBJECT && !item.asJsonObject().containsKey(VALUE)
                        && !isNodeOfLiterals(item.asJsonObject())) {
                    violations.add(Violation.violation("%s: must be a value, not an object".formatted(place), place));
                }
            }
        }
    }

    /**
     * The request in its plain form: each member under its term, one value as itself, a list as an array, a JSON
     * literal as its JSON, a nested object by its shape, and an object of free keys (job parameters sent without the
     * compute context) with its terms as keys. Call on an object {@link #validate} accepted.
     */
    public JsonObject toPlain(JsonObject expanded) {
        var plain = Json.createObjectBuilder();
        for (var entry : expanded.entrySet()) {
            if (entry.getKey().startsWith("@") || !entry.getKey().startsWith(KH)) {
                continue;
            }
            var term = entry.getKey().substring(KH.length());
            var items = items(entry.getValue());
            var inner = nested.get(term);
            if (lists.contains(term)) {
                var array = Json.createArrayBuilder();
                items.forEach(item -> array.add(plainValue(item, inner)));
                plain.add(term, array);
            } else {
                plain.add(term, plainValue(items.get(0), inner));
            }
        }
        return plain.build();
    }

    private static JsonValue plainValue(JsonValue item, ComputeRequestShape inner) {
        if (item.getValueType() != JsonValue.ValueType.OBJECT) {
            return item;
        }
        var object = item.asJsonObject();
        if (object.containsKey(VALUE)) {
            return object.get(VALUE);
        }
        if (inner != null) {
            return inner.toPlain(object);
        }
        JsonObjectBuilder free = Json.createObjectBuilder();
        object.forEach((key, value) -> {
            if (!key.startsWith("@")) {
                var values = items(value);
                free.add(key.startsWith(KH) ? key.substring(KH.length()) : key,
                        values.size() == 1 ? plainValue(values.get(0), null) : toArray(values));
            }
        });
        return free.build();
    }

    private static JsonArray toArray(List<JsonValue> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(value -> array.add(plainValue(value, null)));
        return array.build();
    }

    /** The values of an expanded member: its array's items, a {@code @list}'s items taken out; null when neither. */
    private static List<JsonValue> items(JsonValue value) {
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            return null;
        }
        var items = new ArrayList<JsonValue>();
        for (var item : value.asJsonArray()) {
            if (item.getValueType() == JsonValue.ValueType.OBJECT && item.asJsonObject().containsKey(LIST)) {
                var list = item.asJsonObject().get(LIST);
                if (list.getValueType() != JsonValue.ValueType.ARRAY) {
                    return null;
                }
                items.addAll(list.asJsonArray());
            } else {
                items.add(item);
            }
        }
        return items;
    }

    /** An object of free keys (parameters without the compute context): each member one literal value. */
    private static boolean isNodeOfLiterals(JsonObject object) {
        for (var entry : object.entrySet()) {
            if (entry.getKey().startsWith("@")) {
                continue;
            }
            var values = items(entry.getValue());
            if (values == null || values.size() != 1 || values.get(0).getValueType() != JsonValue.ValueType.OBJECT
                    || !values.get(0).asJsonObject().containsKey(VALUE)) {
                return false;
            }
        }
        return true;
    }

    private String known() {
        var all = new ArrayList<String>(mandatory);
        all.addAll(optional);
        all.sort(null);
        return String.join(", ", all);
    }

    private static String compact(String iri) {
        return iri.startsWith(KH) ? "kh:" + iri.substring(KH.length()) : iri;
    }

    private static String compactTypes(JsonValue types) {
        if (types instanceof JsonArray array) {
            var names = new ArrayList<String>();
            for (var type : array) {
                names.add(type instanceof JsonString text ? compact(text.getString()) : type.toString());
            }
            return String.join(", ", names);
        }
        return types.toString();
    }
}
