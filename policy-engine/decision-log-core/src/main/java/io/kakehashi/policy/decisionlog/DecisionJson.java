package io.kakehashi.policy.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON forms of entries, stored entries and checkpoints (documented in the module README), both ways.
 * Reading is strict: an unknown or missing member, or a value of the wrong type, is an
 * {@link IllegalArgumentException}, so that nothing can be added to a stored entry without the verifier noticing.
 * Absent optional values are omitted, never written as null. Stateless and thread-safe.
 */
public final class DecisionJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ENTRY_MEMBERS = Set.of("time", "scope", "counterpartyId", "negotiationId", "agreementId",
            "transferId", "assetId", "policyId", "policyHash", "claimsDigest", "outcome", "reasons", "digests", "counterpartyLegalId",
            "localAgreementId");
    private static final Set<String> REASON_MEMBERS = Set.of("constraint", "outcome", "reason");
    private static final Set<String> STORED_MEMBERS = Set.of("sequence", "previousHash", "hash", "entry");
    private static final Set<String> CHECKPOINT_MEMBERS = Set.of("sequence", "headHash", "time", "jws", "treeRoot");
    private static final Set<String> CHECKPOINT_REQUIRED = Set.of("sequence", "headHash", "time", "jws");
    private static final Set<String> CHECKPOINT_PAYLOAD_MEMBERS = Set.of("sequence", "headHash", "time", "treeRoot");
    private static final Set<String> CHECKPOINT_PAYLOAD_REQUIRED = Set.of("sequence", "headHash", "time");
    private static final Set<String> KEY_MEMBERS = Set.of("kid", "jwk", "added", "endorsement");
    private static final Set<String> KEY_REQUIRED = Set.of("kid", "jwk", "added");

    private static final byte[] STORED_LINE_HEAD = "{\"entry\":".getBytes(StandardCharsets.US_ASCII);

    private DecisionJson() {
    }

    public static ObjectNode entry(DecisionEntry entry) {
        var node = NODES.objectNode();
        node.put("time", entry.time().toString());
        node.put("scope", entry.scope().wireName());
        node.put("counterpartyId", entry.counterpartyId());
        // absent when unknown, so an entry without it has the canonical form it had before the field existed
        putIfPresent(node, "counterpartyLegalId", entry.counterpartyLegalId());
        putIfPresent(node, "negotiationId", entry.negotiationId());
        putIfPresent(node, "agreementId", entry.agreementId());
        // absent when the agreement has one id, so entries without it have the canonical form they had before it existed
        putIfPresent(node, "localAgreementId", entry.localAgreementId());
        putIfPresent(node, "transferId", entry.transferId());
        putIfPresent(node, "assetId", entry.assetId());
        putIfPresent(node, "policyId", entry.policyId());
        putIfPresent(node, "policyHash", entry.policyHash());
        putIfPresent(node, "claimsDigest", entry.claimsDigest());
        node.put("outcome", entry.outcome().name());
        var reasons = node.putArray("reasons");
        for (var reason : entry.reasons()) {
            reasons.addObject().put("constraint", reason.constraint()).put("outcome", reason.outcome().name()).put("reason", reason.reason());
        }
        // absent when empty, so an entry without digests has the canonical form it had before digests existed
        if (!entry.digests().isEmpty()) {
            var digests = node.putObject("digests");
            entry.digests().forEach(digests::put);
        }
        return node;
    }

    public static DecisionEntry entry(JsonNode node) {
        requireMembers(node, ENTRY_MEMBERS, Set.of("time", "scope", "counterpartyId", "outcome", "reasons"), "entry");
        var scopeName = text(node, "scope");
        var scope = DecisionScope.fromWireName(scopeName).orElseThrow(() -> new IllegalArgumentException("unknown scope: " + scopeName));
        var reasonsNode = node.get("reasons");
        if (!reasonsNode.isArray()) {
            throw new IllegalArgumentException("entry member reasons is not an array");
        }
        var reasons = new ArrayList<ConstraintReason>();
        for (var reason : reasonsNode) {
            requireMembers(reason, REASON_MEMBERS, REASON_MEMBERS, "reason");
            reasons.add(new ConstraintReason(text(reason, "constraint"), outcome(reason), text(reason, "reason")));
        }
        var entry = DecisionEntry.builder()
                .time(instant(node, "time"))
                .scope(scope)
                .counterpartyId(text(node, "counterpartyId"))
                .counterpartyLegalId(optionalText(node, "counterpartyLegalId"))
                .negotiationId(optionalText(node, "negotiationId"))
                .agreementId(optionalText(node, "agreementId"))
                .localAgreementId(optionalText(node, "localAgreementId"))
                .transferId(optionalText(node, "transferId"))
                .assetId(optionalText(node, "assetId"))
                .policyId(optionalText(node, "policyId"))
                .policyHash(optionalText(node, "policyHash"))
                .claimsDigest(optionalText(node, "claimsDigest"))
                .outcome(outcome(node))
                .reasons(reasons)
                .digests(digests(node))
                .build();
        // a time written with more digits than the model keeps would hash differently once re-serialised
        if (!entry.time().toString().equals(text(node, "time"))) {
            throw new IllegalArgumentException("entry time is not in its canonical form: " + text(node, "time"));
        }
        return entry;
    }

    private static TreeMap<String, String> digests(JsonNode node) {
        var digests = new TreeMap<String, String>();
        if (!node.has("digests")) {
            return digests;
        }
        var digestsNode = node.get("digests");
        // an empty object would be dropped when written again, and the entry would hash differently
        if (!digestsNode.isObject() || digestsNode.isEmpty()) {
            throw new IllegalArgumentException("entry member digests is not a non-empty object");
        }
        for (var it = digestsNode.fields(); it.hasNext(); ) {
            var digest = it.next();
            if (!digest.getValue().isTextual()) {
                throw new IllegalArgumentException("digest " + digest.getKey() + " is not a string");
            }
            digests.put(digest.getKey(), digest.getValue().textValue());
        }
        return digests;
    }

    public static ObjectNode stored(StoredDecision stored) {
        var node = NODES.objectNode();
        node.put("sequence", stored.sequence());
        node.put("previousHash", stored.previousHash());
        node.put("hash", stored.hash());
        node.set("entry", entry(stored.entry()));
        return node;
    }

    /**
     * One line of the log file and of an export: the canonical JSON of the stored entry, without the newline.
     */
    public static String storedLine(StoredDecision stored) {
        return JsonCanonicalizer.canonicalize(stored(stored));
    }

    /**
     * The RFC 8785 canonical JSON of the entry: what the chain hashes. The same text as
     * {@code JsonCanonicalizer.canonicalize(entry(entry))}, written straight from the entry (no tree, no sort): the
     * members in code-point order of their names, the optional ones omitted when absent.
     */
    public static String canonicalEntry(DecisionEntry entry) {
        var out = new StringBuilder(512).append('{');
        member(out, "agreementId", entry.agreementId());
        member(out, "assetId", entry.assetId());
        member(out, "claimsDigest", entry.claimsDigest());
        member(out, "counterpartyId", entry.counterpartyId());
        member(out, "counterpartyLegalId", entry.counterpartyLegalId());
        if (!entry.digests().isEmpty()) {
            // the entry's digests iterate in name order, which is code-point order
            name(out, "digests").append('{');
            var first = true;
            for (var digest : entry.digests().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                JsonCanonicalizer.writeString(digest.getKey(), out);
                out.append(':');
                JsonCanonicalizer.writeString(digest.getValue(), out);
            }
            out.append('}');
        }
        member(out, "localAgreementId", entry.localAgreementId());
        member(out, "negotiationId", entry.negotiationId());
        member(out, "outcome", entry.outcome().name());
        member(out, "policyHash", entry.policyHash());
        member(out, "policyId", entry.policyId());
        name(out, "reasons").append('[');
        var first = true;
        for (var reason : entry.reasons()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"constraint\":");
            JsonCanonicalizer.writeString(reason.constraint(), out);
            out.append(",\"outcome\":\"").append(reason.outcome().name()).append("\",\"reason\":");
            JsonCanonicalizer.writeString(reason.reason(), out);
            out.append('}');
        }
        out.append(']');
        member(out, "scope", entry.scope().wireName());
        member(out, "time", entry.time().toString());
        member(out, "transferId", entry.transferId());
        return out.append('}').toString();
    }

    private static StringBuilder name(StringBuilder out, String name) {
        if (out.length() > 1) {
            out.append(',');
        }
        return out.append('"').append(name).append("\":");
    }

    /** The member, unless the value is null (absent). */
    private static void member(StringBuilder out, String name, String value) {
        if (value != null) {
            JsonCanonicalizer.writeString(value, name(out, name));
        }
    }

    /**
     * {@link #storedLine(StoredDecision)} from the entry's canonical JSON, without canonicalising it again: the
     * members of a stored entry in code-point order ({@code entry}, {@code hash}, {@code previousHash},
     * {@code sequence}), hashes being lowercase hex that needs no escaping.
     */
    public static String storedLine(StoredDecision stored, String canonicalEntry) {
        return new StringBuilder(canonicalEntry.length() + 180).append("{\"entry\":").append(canonicalEntry)
                .append(",\"hash\":\"").append(stored.hash())
                .append("\",\"previousHash\":\"").append(stored.previousHash())
                .append("\",\"sequence\":").append(stored.sequence()).append('}').toString();
    }

    /**
     * The UTF-8 bytes of {@link #storedLine(StoredDecision, String)}, from the UTF-8 bytes of the entry's canonical JSON.
     */
    static byte[] storedLine(byte[] canonicalEntry, String hash, String previousHash, long sequence) {
        var tail = (",\"hash\":\"" + hash + "\",\"previousHash\":\"" + previousHash + "\",\"sequence\":" + sequence + "}").getBytes(StandardCharsets.UTF_8);
        var line = new byte[STORED_LINE_HEAD.length + canonicalEntry.length + tail.length];
        System.arraycopy(STORED_LINE_HEAD, 0, line, 0, STORED_LINE_HEAD.length);
        System.arraycopy(canonicalEntry, 0, line, STORED_LINE_HEAD.length, canonicalEntry.length);
        System.arraycopy(tail, 0, line, STORED_LINE_HEAD.length + canonicalEntry.length, tail.length);
        return line;
    }

    public static StoredDecision stored(String line) {
        // the stores write the canonical form, read without a tree; any other text goes to the strict tree parse
        var bytes = line.getBytes(StandardCharsets.UTF_8);
        var canonical = CanonicalStoredLine.parse(bytes, 0, bytes.length);
        // a lone surrogate is encoded as '?': only a line that its bytes give back is read from them
        if (canonical != null && new String(bytes, StandardCharsets.UTF_8).equals(line)) {
            return canonical.stored();
        }
        return storedFromTree(line);
    }

    /**
     * {@link #stored(String)} by the strict tree parse alone (tests compare the two).
     */
    static StoredDecision storedFromTree(String line) {
        var node = JsonCanonicalizer.parse(line);
        requireMembers(node, STORED_MEMBERS, STORED_MEMBERS, "stored entry");
        return new StoredDecision(number(node, "sequence"), text(node, "previousHash"), text(node, "hash"), entry(node.get("entry")));
    }

    /**
     * The signed payload of a checkpoint.
     */
    public static ObjectNode checkpointPayload(long sequence, String headHash, Instant time) {
        return checkpointPayload(sequence, headHash, time, null);
    }

    /**
     * The signed payload of a checkpoint that carries the Merkle tree head of its first {@code sequence} entries
     * ({@code treeRoot}, omitted when null).
     */
    public static ObjectNode checkpointPayload(long sequence, String headHash, Instant time, String treeRoot) {
        var node = NODES.objectNode();
        node.put("sequence", sequence);
        node.put("headHash", headHash);
        node.put("time", time.toString());
        putIfPresent(node, "treeRoot", treeRoot);
        return node;
    }

    public static Checkpoint checkpointFromPayload(JsonNode payload, String jws) {
        requireMembers(payload, CHECKPOINT_PAYLOAD_MEMBERS, CHECKPOINT_PAYLOAD_REQUIRED, "checkpoint payload");
        return new Checkpoint(number(payload, "sequence"), text(payload, "headHash"), instant(payload, "time"), jws, optionalText(payload, "treeRoot"));
    }

    /**
     * The {@code treeRoot} a checkpoint's JWS payload carries, unverified (for a store that keeps only the JWS of it;
     * the verifier checks the signature), or null when it carries none or is not a JWS.
     */
    public static String treeRootOf(String jws) {
        try {
            var payload = JsonCanonicalizer.parse(com.nimbusds.jose.JWSObject.parse(jws).getPayload().toString());
            return optionalText(payload, "treeRoot");
        } catch (java.text.ParseException | IllegalArgumentException e) {
            return null;
        }
    }

    public static String checkpointLine(Checkpoint checkpoint) {
        var node = checkpointPayload(checkpoint.sequence(), checkpoint.headHash(), checkpoint.time(), checkpoint.treeRoot());
        node.put("jws", checkpoint.jws());
        return JsonCanonicalizer.canonicalize(node);
    }

    public static Checkpoint checkpoint(String line) {
        var node = JsonCanonicalizer.parse(line);
        requireMembers(node, CHECKPOINT_MEMBERS, CHECKPOINT_REQUIRED, "checkpoint");
        return new Checkpoint(number(node, "sequence"), text(node, "headHash"), instant(node, "time"), text(node, "jws"), optionalText(node, "treeRoot"));
    }

    /**
     * One line of the key history ({@code checkpoint-keys.jsonl}, and of an export): {@code kid}, {@code jwk} (the
     * public JWK as an object), {@code added}, and {@code endorsement} when the key has one.
     */
    public static String keyLine(CheckpointKey key) {
        var node = NODES.objectNode();
        node.put("kid", key.kid());
        node.set("jwk", JsonCanonicalizer.parse(key.publicJwk()));
        node.put("added", key.added().toString());
        putIfPresent(node, "endorsement", key.endorsement());
        return JsonCanonicalizer.canonicalize(node);
    }

    public static CheckpointKey key(String line) {
        var node = JsonCanonicalizer.parse(line);
        requireMembers(node, KEY_MEMBERS, KEY_REQUIRED, "checkpoint key");
        if (!node.get("jwk").isObject()) {
            throw new IllegalArgumentException("checkpoint key: 'jwk' is not an object");
        }
        return new CheckpointKey(text(node, "kid"), JsonCanonicalizer.canonicalize(node.get("jwk")), instant(node, "added"), optionalText(node, "endorsement"));
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static void requireMembers(JsonNode node, Set<String> allowed, Set<String> required, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            var name = it.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(what + " has an unknown member: " + name);
            }
        }
        for (var name : required) {
            if (!node.has(name)) {
                throw new IllegalArgumentException(what + " lacks the member " + name);
            }
        }
    }

    private static String text(JsonNode node, String name) {
        var value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("member " + name + " is not a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String name) {
        return node.has(name) ? text(node, name) : null;
    }

    private static long number(JsonNode node, String name) {
        var value = node.get(name);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("member " + name + " is not an integer");
        }
        return value.longValue();
    }

    private static DecisionOutcome outcome(JsonNode node) {
        var name = text(node, "outcome");
        try {
            return DecisionOutcome.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown outcome: " + name);
        }
    }

    private static Instant instant(JsonNode node, String name) {
        try {
            return Instant.parse(text(node, name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("member " + name + " is not an ISO 8601 instant");
        }
    }
}
