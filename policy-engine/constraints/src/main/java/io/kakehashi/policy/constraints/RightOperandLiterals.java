package io.kakehashi.policy.constraints;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Writes the JSON numbers and booleans of a policy's right operands as strings, in an expanded JSON-LD body: this
 * module promises that numbers may be JSON numbers or strings (and its parsers read both), but EDC 0.15.1's
 * policy-definition validator reads a right operand only as a string and fails with a 500 on a number. A number keeps
 * its JSON text ({@code 5} becomes {@code "5"}, {@code 0.5} stays {@code "0.5"}). Stateless; thread-safe.
 */
public final class RightOperandLiterals {

    public static final String RIGHT_OPERAND = "http://www.w3.org/ns/odrl/2/rightOperand";
    private static final String VALUE = "@value";

    private RightOperandLiterals() {
    }

    /** The value with every right operand's number or boolean literal as a string; the value itself when there are none. */
    public static JsonValue asStrings(JsonValue value) {
        if (value instanceof JsonArray array) {
            var builder = Json.createArrayBuilder();
            array.forEach(element -> builder.add(asStrings(element)));
            return builder.build();
        }
        if (value instanceof JsonObject object) {
            var builder = Json.createObjectBuilder();
            object.forEach((key, inner) -> builder.add(key, key.equals(RIGHT_OPERAND) ? literalsAsStrings(inner) : asStrings(inner)));
            return builder.build();
        }
        return value;
    }

    private static JsonValue literalsAsStrings(JsonValue operand) {
        if (operand instanceof JsonArray array) {
            var builder = Json.createArrayBuilder();
            array.forEach(element -> builder.add(literalsAsStrings(element)));
            return builder.build();
        }
        if (operand instanceof JsonObject object && object.containsKey(VALUE)) {
            var literal = object.get(VALUE);
            if (literal instanceof JsonNumber || literal == JsonValue.TRUE || literal == JsonValue.FALSE) {
                return Json.createObjectBuilder(object).add(VALUE, literal.toString()).build();
            }
        }
        return asStrings(operand);
    }
}
