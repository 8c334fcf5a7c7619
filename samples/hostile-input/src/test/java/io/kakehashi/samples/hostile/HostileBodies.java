package io.kakehashi.samples.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.ManagementClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates hostile request bodies from a well-formed one: bodies that are not JSON, not objects or nested past any
 * parser's depth; every field missing, {@code null} or of the wrong JSON type; ids with NUL, bidi controls,
 * injection strings or 10 MB of text; an unknown, missing or numeric {@code @type}; a JSON-LD context to be fetched
 * from an attacker's address; and a number of random mutations anywhere in the tree. The same seed gives the same
 * bodies in the same order. Not thread-safe (one {@link Random}); each probe family makes its own.
 */
public final class HostileBodies {

    /** A body and what was done to it. */
    public record Body(String label, String text) {
    }

    public static final long SEED = 20261206L;
    /** Random mutations per base body; {@code -Dkakehashi.hostile.mutations=N} runs a larger campaign. */
    public static final int MUTATIONS = Integer.getInteger("kakehashi.hostile.mutations", 6);
    public static final int HUGE = 10 * 1024 * 1024;
    public static final String HUGE_STRING = "A".repeat(HUGE);
    public static final int DEEP = 5_000;
    public static final String NUL = "urn:uuid:0000\u0000evil";
    public static final String BIDI = "urn:uuid:\u202Egnp.exe\u202C\u2066x\u2069";
    /** Ids a counterparty might choose to hurt the stores, the logs and the people reading them. */
    public static final List<String> HOSTILE_IDS = List.of(NUL, BIDI, "\u0000", "", " ", "../../../../etc/passwd", "' OR '1'='1' --",
            "${jndi:ldap://127.0.0.1:9/x}", "%00%2e%2e%2f", "\uFEFFurn:uuid:bom", "urn:uuid:\r\nX-Injected: 1", "\uD83D\uDE00".repeat(2000));

    private static final String DEEP_MARKER = "DEEPNESTING";
    private final Random random;

    public HostileBodies(long seed) {
        this.random = new Random(seed);
    }

    /** Bodies that are no message at all, whatever the endpoint. */
    public static List<Body> shapeless(ObjectNode base, String remoteContext) {
        var bodies = new ArrayList<Body>();
        bodies.add(new Body("null", "null"));
        bodies.add(new Body("empty body", ""));
        bodies.add(new Body("empty array", "[]"));
        bodies.add(new Body("array of the message", "[" + base + "]"));
        bodies.add(new Body("string", "\"" + base.path("@type").asText() + "\""));
        bodies.add(new Body("number", "42"));
        bodies.add(new Body("true", "true"));
        bodies.add(new Body("empty object", "{}"));
        bodies.add(new Body("truncated JSON", base.toString().substring(0, base.toString().length() / 2)));
        bodies.add(new Body("not JSON", "<xml>not json</xml>"));
        bodies.add(new Body("NUL bytes", "\u0000\u0000\u0000"));
        bodies.add(new Body("nested arrays " + DEEP + " deep", "[".repeat(DEEP) + "]".repeat(DEEP)));
        bodies.add(new Body("nested objects " + DEEP + " deep", "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP)));
        bodies.add(new Body("the message with a field nested " + DEEP + " deep",
                "{\"https://w3id.org/edc/v0.0.1/ns/deep\":" + nested(DEEP) + "," + base.toString().substring(1)));
        var unknownType = base.deepCopy().put("@type", "https://evil.example/UnknownMessage");
        bodies.add(new Body("unknown @type", unknownType.toString()));
        var noType = base.deepCopy();
        noType.remove("@type");
        bodies.add(new Body("missing @type", noType.toString()));
        bodies.add(new Body("numeric @type", base.deepCopy().put("@type", 7).toString()));
        var noContext = base.deepCopy();
        noContext.remove("@context");
        bodies.add(new Body("missing @context", noContext.toString()));
        var remote = base.deepCopy();
        remote.putArray("@context").add(remoteContext);
        bodies.add(new Body("remote @context at an attacker's address", remote.toString()));
        bodies.add(new Body("numeric @context", base.deepCopy().put("@context", 1).toString()));
        return bodies;
    }

    /** Each field of the message missing, null, a number, an object, an array or a boolean; objects as strings. */
    public static List<Body> typeConfusions(ObjectNode base) {
        var bodies = new ArrayList<Body>();
        base.fieldNames().forEachRemaining(field -> {
            if (field.startsWith("@context")) {
                return;
            }
            var missing = base.deepCopy();
            missing.remove(field);
            bodies.add(new Body(field + " missing", missing.toString()));
            bodies.add(new Body(field + " null", with(base, field, JsonNodeFactory.instance.nullNode())));
            bodies.add(new Body(field + " a number", with(base, field, JsonNodeFactory.instance.numberNode(1e308))));
            bodies.add(new Body(field + " an object", with(base, field, JsonNodeFactory.instance.objectNode().put("@value", "x"))));
            bodies.add(new Body(field + " an array", with(base, field, JsonNodeFactory.instance.arrayNode().add(1).add("two"))));
            if (base.get(field).isContainerNode()) {
                bodies.add(new Body(field + " a string", with(base, field, JsonNodeFactory.instance.textNode("not an object"))));
            } else {
                bodies.add(new Body(field + " a boolean", with(base, field, JsonNodeFactory.instance.booleanNode(true))));
            }
        });
        return bodies;
    }

    /** The id field set to each hostile id. */
    public static List<Body> hostileIds(ObjectNode base, String field) {
        var bodies = new ArrayList<Body>();
        for (var id : HOSTILE_IDS) {
            bodies.add(new Body(field + " = " + Exchange.excerpt(id, 40), with(base, field, JsonNodeFactory.instance.textNode(id))));
        }
        return bodies;
    }

    /** The field set to 10 MB of text. */
    public static Body huge(ObjectNode base, String field) {
        return new Body(field + " of 10 MB", with(base, field, JsonNodeFactory.instance.textNode(HUGE_STRING)));
    }

    /** {@link #MUTATIONS} random mutations: a value anywhere in the tree replaced by a random hostile one. */
    public List<Body> randomMutations(ObjectNode base) {
        var bodies = new ArrayList<Body>();
        for (var i = 0; i < MUTATIONS; i++) {
            var copy = base.deepCopy();
            var path = new StringBuilder();
            mutate(copy, path);
            bodies.add(new Body("random mutation #" + i + " at " + path, expandDeep(copy.toString())));
        }
        return bodies;
    }

    private void mutate(JsonNode node, StringBuilder path) {
        var children = new ArrayList<String>();
        node.fieldNames().forEachRemaining(children::add);
        if (node.isArray()) {
            for (var i = 0; i < node.size(); i++) {
                children.add(String.valueOf(i));
            }
        }
        if (children.isEmpty()) {
            return;
        }
        var child = children.get(random.nextInt(children.size()));
        path.append('/').append(child);
        var value = node.isArray() ? node.get(Integer.parseInt(child)) : node.get(child);
        if (value.isContainerNode() && value.size() > 0 && random.nextBoolean()) {
            mutate(value, path);
            return;
        }
        var replacement = randomValue();
        if (node instanceof ObjectNode object) {
            object.set(child, replacement);
        } else {
            ((ArrayNode) node).set(Integer.parseInt(child), replacement);
        }
    }

    private JsonNode randomValue() {
        var factory = JsonNodeFactory.instance;
        return switch (random.nextInt(12)) {
            case 0 -> factory.nullNode();
            case 1 -> factory.numberNode(random.nextLong());
            case 2 -> factory.numberNode(-0.0);
            case 3 -> factory.textNode(HOSTILE_IDS.get(random.nextInt(HOSTILE_IDS.size())));
            case 4 -> factory.textNode("x".repeat(65_536));
            case 5 -> factory.textNode(DEEP_MARKER + (200 + random.nextInt(2_000)) + DEEP_MARKER);
            case 6 -> factory.arrayNode().add(factory.objectNode()).add(factory.nullNode());
            case 7 -> factory.objectNode().put("@id", "https://evil.example/" + random.nextInt(1000));
            case 8 -> factory.booleanNode(random.nextBoolean());
            case 9 -> factory.textNode(randomUnicode(64));
            case 10 -> factory.objectNode().put("@value", "1").put("@type", "http://www.w3.org/2001/XMLSchema#integer");
            default -> factory.textNode("");
        };
    }

    private String randomUnicode(int length) {
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++) {
            var codePoint = random.nextInt(0x2FFFF);
            if (Character.isValidCodePoint(codePoint) && !(codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                builder.appendCodePoint(codePoint);
            }
        }
        return builder.toString();
    }

    /** JSON objects nested {@code depth} deep, as text: Jackson refuses to write more than 1,000 levels itself. */
    static String nested(int depth) {
        return "{\"n\":".repeat(depth) + "\"bottom\"" + "}".repeat(depth);
    }

    private static String expandDeep(String json) {
        var marker = java.util.regex.Pattern.compile("\"" + DEEP_MARKER + "(\\d+)" + DEEP_MARKER + "\"");
        return marker.matcher(json).replaceAll(match -> nested(Integer.parseInt(match.group(1))));
    }

    private static String with(ObjectNode base, String field, JsonNode value) {
        var copy = base.deepCopy();
        copy.set(field, value);
        return copy.toString();
    }

    /** A JSON object builder on the management API's mapper, for the probes' base bodies. */
    public static ObjectNode object() {
        return ManagementClient.mapper().createObjectNode();
    }
}
