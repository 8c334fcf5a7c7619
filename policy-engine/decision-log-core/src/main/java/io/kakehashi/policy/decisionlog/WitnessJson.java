package io.kakehashi.policy.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The JSON form of a {@link WitnessRecord}: one line of the witness file and of the auditor API's export,
 * {@code {"kind", "peer", "treeSize", "rootHash", "headJws", "time"}} and, when present, {@code "peerKey"} (the JWK as
 * an object), {@code "cosignature"}, {@code "evidenceJws"}, {@code "reason"}. Stateless and thread-safe.
 */
public final class WitnessJson {

    private static final Set<String> MEMBERS = Set.of("kind", "peer", "treeSize", "rootHash", "headJws", "peerKey", "cosignature",
            "evidenceJws", "time", "reason");

    private WitnessJson() {
    }

    public static ObjectNode json(WitnessRecord record) {
        var node = JsonCanonicalizer.mapper().createObjectNode();
        node.put("kind", record.kind().name());
        node.put("peer", record.peer());
        node.put("treeSize", record.treeSize());
        node.put("rootHash", record.rootHash());
        node.put("headJws", record.headJws());
        if (record.peerKey() != null) {
            node.set("peerKey", JsonCanonicalizer.parse(record.peerKey()));
        }
        putIfPresent(node, "cosignature", record.cosignature());
        putIfPresent(node, "evidenceJws", record.evidenceJws());
        node.put("time", record.time().toString());
        putIfPresent(node, "reason", record.reason());
        return node;
    }

    public static String line(WitnessRecord record) {
        return JsonCanonicalizer.canonicalize(json(record));
    }

    /**
     * @throws IllegalArgumentException naming what is wrong
     */
    public static WitnessRecord record(String line) {
        var node = JsonCanonicalizer.parse(line);
        node.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException("witness record: unknown member " + name);
            }
        });
        WitnessRecord.Kind kind;
        try {
            kind = WitnessRecord.Kind.valueOf(text(node, "kind"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("witness record: unknown kind");
        }
        var size = node.path("treeSize");
        if (!size.canConvertToLong()) {
            throw new IllegalArgumentException("witness record: treeSize is not a whole number");
        }
        Instant time;
        try {
            time = Instant.parse(text(node, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("witness record: time is not an instant");
        }
        var peerKey = node.get("peerKey");
        return new WitnessRecord(kind, text(node, "peer"), size.asLong(), text(node, "rootHash"), text(node, "headJws"),
                peerKey == null ? null : JsonCanonicalizer.canonicalize(peerKey), optional(node, "cosignature"), optional(node, "evidenceJws"),
                time, optional(node, "reason"));
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String text(JsonNode node, String name) {
        var value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("witness record: member " + name + " is missing or not a string");
        }
        return value.asText();
    }

    private static String optional(JsonNode node, String name) {
        return node.has(name) ? text(node, name) : null;
    }
}
