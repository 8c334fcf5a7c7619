package io.kakehashi.core.web.guard;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * The paging and sorting fields of an expanded management {@code QuerySpec}, which EDC 0.15.1's validator reads
 * without checking their JSON type (a string {@code limit} made it fail with a 500): {@code offset} and {@code limit}
 * are whole numbers, {@code sortField} a string and {@code sortOrder} {@code ASC} or {@code DESC}. Stateless;
 * thread-safe.
 */
public final class QuerySpecShape {

    static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";

    private QuerySpecShape() {
    }

    /** Registers the check with the registry {@link ExpandedBodyInterceptor} consults. */
    public static void register(JsonObjectValidatorRegistry registry) {
        registry.register(ExpandedBodyInterceptor.validationKey(EDC + "QuerySpec"), QuerySpecShape::validate);
    }

    static ValidationResult validate(JsonObject query) {
        var violations = new ArrayList<Violation>();
        for (var name : List.of("offset", "limit")) {
            literal(query, name).ifPresent(value -> {
                if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
                    violations.add(Violation.violation("%s must be a whole number".formatted(name), name));
                }
            });
        }
        literal(query, "sortField").ifPresent(value -> {
            if (!(value instanceof JsonString)) {
                violations.add(Violation.violation("sortField must be a string", "sortField"));
            }
        });
        literal(query, "sortOrder").ifPresent(value -> {
            if (!(value instanceof JsonString order) || !List.of("ASC", "DESC").contains(order.getString())) {
                violations.add(Violation.violation("sortOrder must be ASC or DESC", "sortOrder"));
            }
        });
        return violations.isEmpty() ? ValidationResult.success() : ValidationResult.failure(violations);
    }

    /** The literal of a single-valued property; a node object or several values are returned as themselves. */
    private static java.util.Optional<JsonValue> literal(JsonObject query, String name) {
        var value = query.get(EDC + name);
        if (value == null) {
            return java.util.Optional.empty();
        }
        if (value instanceof JsonArray array && array.size() == 1) {
            value = array.get(0);
        }
        if (value instanceof JsonObject object && object.containsKey("@value")) {
            return java.util.Optional.of(object.get("@value"));
        }
        return java.util.Optional.of(value);
    }
}
