package io.kakehashi.ai.sql;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.function.Consumer;

/** Visits every JSON object of a DuckDB syntax tree, depth first. */
final class JsonTree {

    private JsonTree() {
    }

    static void forEachObject(JsonValue value, Consumer<JsonObject> visitor) {
        if (value instanceof JsonObject object) {
            visitor.accept(object);
            object.values().forEach(child -> forEachObject(child, visitor));
        } else if (value instanceof JsonArray array) {
            array.forEach(child -> forEachObject(child, visitor));
        }
    }

    static String text(JsonObject object, String key) {
        var value = object.get(key);
        return value != null && value.getValueType() == JsonValue.ValueType.STRING ? object.getString(key) : "";
    }
}
