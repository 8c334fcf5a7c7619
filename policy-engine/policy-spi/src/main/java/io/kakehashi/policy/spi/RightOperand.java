package io.kakehashi.policy.spi;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a constraint's right operand as EDC hands it to a function: a plain value, or JSON-LD values (a JSON string,
 * or an object with {@code @value}) — lists arrive as their JSON-LD form, and from a PostgreSQL store as maps (read
 * back from JSON). Stateless and thread-safe.
 */
public final class RightOperand {

    private RightOperand() {
    }

    /**
     * The operand as a list of texts; empty when an element is not a text.
     */
    public static Optional<List<String>> texts(Object operand) {
        var elements = operand instanceof Collection<?> collection ? collection : List.of(operand == null ? "" : operand);
        var texts = new ArrayList<String>();
        for (var element : elements) {
            var text = text(element);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            texts.add(text.get());
        }
        return Optional.of(texts);
    }

    /**
     * The operand as one text; empty when it is not one.
     */
    public static Optional<String> text(Object operand) {
        return plain(operand) instanceof String text ? Optional.of(text) : Optional.empty();
    }

    /**
     * The operand's plain Java value: a {@code String}, a {@code Long} for a whole JSON number, a {@code Double} for
     * another number; JSON-LD value objects and one-element arrays are unwrapped; anything else is returned as is.
     */
    public static Object plain(Object operand) {
        if (operand instanceof JsonString json) {
            return json.getString();
        }
        if (operand instanceof JsonNumber number) {
            return number.isIntegral() ? (Object) number.longValue() : (Object) number.doubleValue();
        }
        if (operand instanceof JsonArray array && array.size() == 1) {
            return plain(array.get(0));
        }
        if (operand instanceof Map<?, ?> map && map.containsKey("@value")) {
            return plain(map.get("@value"));
        }
        if (operand instanceof Map<?, ?> map && "STRING".equals(map.get("valueType")) && map.get("string") instanceof String text) {
            // a JSON string as PostgreSQL stores wrote it before they wrote JSON-P values as JSON (a bean of its getters)
            return text;
        }
        return operand;
    }
}
