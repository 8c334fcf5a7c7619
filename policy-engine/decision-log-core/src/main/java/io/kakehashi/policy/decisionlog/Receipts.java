package io.kakehashi.policy.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A receipt: a decision that affects the counterparty, signed by the deciding connector for that counterparty
 * (docs/decisions/0039). A compact JWS, ES256, header {@code typ} {@value #TYPE} and the {@code kid} of the issuer's
 * checkpoint key; payload the canonical JSON
 * <pre>
 * {"agreementId", "entry", "entryHash", "event", "inclusionProof", "issuer", "issuerProcessId", "previousHash",
 *  "recipient", "recipientProcessId", "sequence", "signedTreeHead", "time"}
 * </pre>
 * {@code entry} is the issuer's log entry itself, so a holder recomputes its chain hash from {@code previousHash} and
 * {@code sequence}, its RFC 9162 leaf, and checks {@code inclusionProof} against {@code signedTreeHead} — a checkpoint
 * of the issuer's log signed with a key of the same history. The entry names the issuer's own process
 * ({@code negotiationId} or {@code transferId}) and the DSP {@code agreementId}, as the payload does. Stateless and
 * thread-safe.
 */
public final class Receipts {

    public static final String TYPE = "kakehashi-decision-receipt+jws";
    public static final Set<String> EVENTS = Set.of("negotiation.agreed", "negotiation.verified", "negotiation.terminated", "transfer.started",
            "transfer.suspended", "transfer.completed", "transfer.terminated");
    private static final Set<String> MEMBERS = Set.of("agreementId", "entry", "entryHash", "event", "inclusionProof", "issuer", "issuerProcessId",
            "previousHash", "recipient", "recipientProcessId", "sequence", "signedTreeHead", "time");
    private static final int MAX_PROOF = 64;

    /**
     * What a receipt states, before it is signed: the event, both parties and their process ids, and the DSP agreement id.
     */
    public record Subject(String event, String issuer, String recipient, String issuerProcessId, String recipientProcessId, String agreementId) {

        /** Writes the subject's members into {@code node}, as a receipt's payload carries them. */
        public void putInto(ObjectNode node) {
            putIfPresent(node, "agreementId", agreementId);
            node.put("event", event);
            node.put("issuer", issuer);
            node.put("issuerProcessId", issuerProcessId);
            node.put("recipient", recipient);
            node.put("recipientProcessId", recipientProcessId);
        }

        /**
         * Reads the members {@link #putInto} wrote.
         *
         * @param where what {@code node} is, for the message
         * @throws IllegalArgumentException naming the member missing or not a string
         */
        public static Subject from(JsonNode node, String where) {
            return new Subject(text(node, "event", where), text(node, "issuer", where), text(node, "recipient", where),
                    text(node, "issuerProcessId", where), text(node, "recipientProcessId", where), optionalText(node, "agreementId", where));
        }
    }

    private static final String PAYLOAD = "the receipt's payload";

    private Receipts() {
    }

    /**
     * Signs a receipt of {@code stored}, an entry covered by {@code head} (a signed tree head of the same log, with
     * {@code head.sequence() >= stored.sequence()}), {@code proof} its inclusion proof in that tree.
     *
     * @param key the issuer's private EC P-256 checkpoint key, with a key id
     */
    public static String sign(ECKey key, Subject subject, StoredDecision stored, Checkpoint head, List<byte[]> proof, Instant now) {
        if (!EVENTS.contains(subject.event())) {
            throw new IllegalArgumentException("unknown receipt event " + subject.event());
        }
        var payload = JsonCanonicalizer.mapper().createObjectNode();
        subject.putInto(payload);
        payload.set("entry", DecisionJson.entry(stored.entry()));
        payload.put("entryHash", stored.hash());
        var path = payload.putArray("inclusionProof");
        proof.forEach(hash -> path.add(MerkleTree.toHex(hash)));
        payload.put("previousHash", stored.previousHash());
        payload.put("sequence", stored.sequence());
        payload.put("signedTreeHead", head.jws());
        payload.put("time", now.truncatedTo(ChronoUnit.MILLIS).toString());
        var header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE)).keyID(key.getKeyID()).build();
        var jws = new JWSObject(header, new Payload(JsonCanonicalizer.canonicalize(payload).getBytes(StandardCharsets.UTF_8)));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a receipt: " + e.getMessage(), e);
        }
        return jws.serialize();
    }

    /**
     * The receipt's claims read without checking anything but their form: who claims to have issued it and for which
     * process of the recipient — what a recipient needs to find the issuer's key.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Subject claimed(String jws) {
        var payload = payload(parse(jws));
        return Subject.from(payload, PAYLOAD);
    }

    /**
     * The issuer's signed tree head the receipt carries, unverified (a verifier checks it with the issuer's keys).
     */
    public static String signedTreeHead(String jws) {
        return text(payload(parse(jws)), "signedTreeHead");
    }

    /**
     * What an auditor holding the issuer's log checks a receipt against: its signed tree head, as a witness record
     * for {@link WitnessedHeadVerifier} (the head binds the issuer's log; the receipt's entry was proved included in it
     * when the receipt was kept, so a log whose tree head at that size is another one no longer holds the entry).
     */
    public static io.kakehashi.policy.decisionlog.spi.WitnessRecord asEvidence(Receipt receipt) {
        return new io.kakehashi.policy.decisionlog.spi.WitnessRecord(io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind.RECEIVED,
                receipt.issuer(), receipt.treeSize(), receipt.rootHash(), signedTreeHead(receipt.jws()), receipt.issuerKey(), null, null,
                receipt.received(), "receipt of " + receipt.event() + " at entry " + receipt.sequence());
    }

    /**
     * The issuer's entry the receipt carries, read without checking anything (call {@link #verify} or
     * {@link #fromLine} first).
     *
     * @throws IllegalArgumentException when the receipt carries no entry
     */
    public static DecisionEntry entry(String jws) {
        var payload = payload(parse(jws));
        if (!payload.path("entry").isObject()) {
            throw new IllegalArgumentException("the receipt carries no entry");
        }
        return DecisionJson.entry(payload.get("entry"));
    }

    /**
     * The key id the receipt's header names, unverified.
     */
    public static Optional<String> keyId(String jws) {
        try {
            return Optional.ofNullable(JWSObject.parse(jws).getHeader().getKeyID());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Verifies a receipt completely: its signature with the issuer's key its {@code kid} names, the entry's chain hash,
     * that the entry names the issuer's process and the agreement the payload names, the signed tree head (with the
     * key of the issuer's history its own {@code kid} names) and the entry's inclusion in it.
     *
     * @param keys the issuer's key for a key id, or empty when the issuer's history holds none usable
     * @return the receipt as kept, with {@code received} = {@code now}
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Receipt verify(String jws, Function<String, Optional<ECKey>> keys, Instant now) {
        var parsed = parse(jws);
        var header = parsed.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || header.getType() == null || !TYPE.equals(header.getType().getType())) {
            throw new IllegalArgumentException("the receipt is not an ES256 JWS of type " + TYPE);
        }
        if (header.getKeyID() == null) {
            throw new IllegalArgumentException("the receipt names no key id");
        }
        var key = keys.apply(header.getKeyID())
                .orElseThrow(() -> new IllegalArgumentException("the receipt names key '%s', which the issuer's key history does not hold".formatted(header.getKeyID())));
        if (!checks(parsed, key)) {
            throw new IllegalArgumentException("the receipt's signature does not verify with the issuer's key '%s'".formatted(header.getKeyID()));
        }
        var payload = payload(parsed);
        var subject = claimed(jws);
        if (!EVENTS.contains(subject.event())) {
            throw new IllegalArgumentException("the receipt's event is not one of " + EVENTS);
        }
        var sequence = payload.path("sequence");
        if (!sequence.canConvertToLong() || sequence.asLong() < 1) {
            throw new IllegalArgumentException("the receipt's sequence is not a positive whole number");
        }
        var previousHash = text(payload, "previousHash");
        var entryHash = text(payload, "entryHash");
        if (!DecisionEntry.isSha256Hex(previousHash) || !DecisionEntry.isSha256Hex(entryHash)) {
            throw new IllegalArgumentException("the receipt's previousHash and entryHash must be 64 lowercase hex characters");
        }
        if (!payload.path("entry").isObject()) {
            throw new IllegalArgumentException("the receipt carries no entry");
        }
        DecisionEntry entry;
        try {
            entry = DecisionJson.entry(payload.get("entry"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the receipt's entry is not a decision entry: " + e.getMessage());
        }
        if (!HashChain.hash(previousHash, sequence.asLong(), entry).equals(entryHash)) {
            throw new IllegalArgumentException("the receipt's entry does not have the entryHash it states");
        }
        var process = subject.event().startsWith("negotiation.") ? entry.negotiationId() : entry.transferId();
        if (!subject.issuerProcessId().equals(process)) {
            throw new IllegalArgumentException("the receipt's entry does not name the issuer's process " + subject.issuerProcessId());
        }
        if (subject.agreementId() != null && !subject.agreementId().equals(entry.agreementId())) {
            throw new IllegalArgumentException("the receipt's entry does not name the agreement " + subject.agreementId());
        }
        if (!subject.recipient().equals(entry.counterpartyId())) {
            throw new IllegalArgumentException("the receipt's entry does not name its recipient as the counterparty");
        }
        var headJws = text(payload, "signedTreeHead");
        var headKid = SignedTreeHeads.keyId(headJws).orElseThrow(() -> new IllegalArgumentException("the receipt's signed tree head names no key id"));
        var headKey = keys.apply(headKid)
                .orElseThrow(() -> new IllegalArgumentException("the receipt's signed tree head names key '%s', which the issuer's key history does not hold".formatted(headKid)));
        var head = SignedTreeHeads.verify(headJws, headKey);
        if (head.sequence() < sequence.asLong()) {
            throw new IllegalArgumentException("the receipt's signed tree head (%d entries) does not cover its entry %d".formatted(head.sequence(), sequence.asLong()));
        }
        var proof = proof(payload);
        if (!MerkleTree.verifyInclusion(sequence.asLong() - 1, head.sequence(), MerkleTree.leafHash(MerkleTree.fromHex(entryHash)), proof,
                MerkleTree.fromHex(head.treeRoot()))) {
            throw new IllegalArgumentException("the receipt's inclusion proof does not lead to its signed tree head");
        }
        var issuerKey = JsonCanonicalizer.canonicalize(JsonCanonicalizer.parse(key.toPublicJWK().toJSONString()));
        return new Receipt(subject.issuer(), subject.event(), subject.agreementId(), subject.issuerProcessId(), subject.recipientProcessId(),
                sequence.asLong(), entryHash, head.sequence(), head.treeRoot(), issuerKey, jws, now.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * The receipt as a line of the receipts file and the auditor API's export: {@code {"issuerKey", "jws", "received"}}
     * (the other fields are read again from the JWS).
     */
    public static String line(Receipt receipt) {
        var node = JsonCanonicalizer.mapper().createObjectNode();
        node.set("issuerKey", JsonCanonicalizer.parse(receipt.issuerKey()));
        node.put("jws", receipt.jws());
        node.put("received", receipt.received().toString());
        return JsonCanonicalizer.canonicalize(node);
    }

    /**
     * A kept receipt read back from its line, checked again in full with the key it was kept with (no key history
     * needed): what the offline verifier reads.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Receipt fromLine(String line) {
        var kept = parseLine(line);
        try {
            return verify(kept.jws(), kid -> Optional.of(kept.key()), kept.received());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("receipt line: " + e.getMessage());
        }
    }

    /**
     * A kept receipt read back from its line without checking its signatures again (the store verified it before
     * keeping it; {@link #fromLine} checks it again): its fields are read from the JWS's payload and signed tree head.
     *
     * @throws IllegalArgumentException when the line is not a receipt line
     */
    public static Receipt readLine(String line) {
        var kept = parseLine(line);
        var payload = payload(parse(kept.jws()));
        var subject = claimed(kept.jws());
        var head = JsonCanonicalizer.parse(parse(text(payload, "signedTreeHead")).getPayload().toString());
        var sequence = payload.path("sequence");
        if (!sequence.canConvertToLong() || !head.path("sequence").canConvertToLong() || !head.path("treeRoot").isTextual()) {
            throw new IllegalArgumentException("receipt line: the receipt's sequence or signed tree head is malformed");
        }
        return new Receipt(subject.issuer(), subject.event(), subject.agreementId(), subject.issuerProcessId(), subject.recipientProcessId(),
                sequence.asLong(), text(payload, "entryHash"), head.get("sequence").asLong(), head.get("treeRoot").asText(),
                JsonCanonicalizer.canonicalize(JsonCanonicalizer.parse(kept.key().toPublicJWK().toJSONString())), kept.jws(), kept.received());
    }

    private record KeptLine(ECKey key, String jws, Instant received) {
    }

    private static KeptLine parseLine(String line) {
        var node = JsonCanonicalizer.parse(line);
        if (node == null || !node.path("issuerKey").isObject() || !node.path("jws").isTextual() || !node.path("received").isTextual()) {
            throw new IllegalArgumentException("receipt line: needs issuerKey, jws and received");
        }
        try {
            return new KeptLine(ECKey.parse(JsonCanonicalizer.canonicalize(node.get("issuerKey"))), node.get("jws").asText(),
                    Instant.parse(node.get("received").asText()));
        } catch (ParseException e) {
            throw new IllegalArgumentException("receipt line: issuerKey is not an EC JWK");
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("receipt line: received is not an instant");
        }
    }

    private static boolean checks(JWSObject parsed, ECKey key) {
        try {
            return parsed.verify(new ECDSAVerifier(key.toPublicJWK()));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the receipt's signature cannot be checked: " + e.getMessage());
        }
    }

    private static JWSObject parse(String jws) {
        try {
            return JWSObject.parse(jws);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("the receipt is not a compact JWS");
        }
    }

    private static JsonNode payload(JWSObject parsed) {
        JsonNode payload;
        try {
            payload = JsonCanonicalizer.parse(parsed.getPayload().toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the receipt's payload is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("the receipt's payload is not a JSON object");
        }
        payload.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException("the receipt's payload has an unknown member '%s'".formatted(name.length() > 64 ? name.substring(0, 64) : name));
            }
        });
        return payload;
    }

    private static List<byte[]> proof(JsonNode payload) {
        var path = payload.path("inclusionProof");
        if (!path.isArray() || path.size() > MAX_PROOF) {
            throw new IllegalArgumentException("the receipt's inclusionProof is not a list of at most %d hashes".formatted(MAX_PROOF));
        }
        var result = new ArrayList<byte[]>();
        for (var hash : path) {
            if (!hash.isTextual() || !DecisionEntry.isSha256Hex(hash.asText())) {
                throw new IllegalArgumentException("the receipt's inclusionProof holds a value that is not 64 lowercase hex characters");
            }
            result.add(MerkleTree.fromHex(hash.asText()));
        }
        return result;
    }

    private static String text(JsonNode node, String name) {
        return text(node, name, PAYLOAD);
    }

    private static String text(JsonNode node, String name, String where) {
        var value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(where + " has no '" + name + "'");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String name, String where) {
        var value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is not a string");
        }
        return value.asText();
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
