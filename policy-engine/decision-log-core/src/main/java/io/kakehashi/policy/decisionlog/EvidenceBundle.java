package io.kakehashi.policy.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import org.eclipse.edc.spi.result.ServiceResult;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The evidence bundle of one agreement (docs/decisions/0043): one JSON document holding everything an auditor needs to
 * check, with no connector running, what this connector decided about the agreement — the entries that name it, each
 * with its position, chain hash and RFC 9162 inclusion proof to one signed tree head; that head; the log's checkpoint
 * key history; the witnesses' countersignatures of heads that cover the entries, each with a consistency proof to the
 * bundle's head; the receipts the counterparty signed of its own decisions about the agreement; and a plain-words
 * summary in English and Japanese ({@link EvidenceSummary}) made from that content. Members:
 * <pre>
 * {"type": "kakehashi-evidence-bundle", "version": 1, "agreementId", "localAgreementId"?, "created",
 *  "signedTreeHead": {"treeSize", "jws"}, "checkpointKeys": [key line, …],
 *  "entries": [{"sequence", "previousHash", "hash", "entry", "inclusionProof": [hex, …]}, …],
 *  "witnessedHeads": [{"record": witness record, "consistencyProof": [hex, …]}, …],
 *  "receipts": [{"issuerKey", "jws", "received"}, …], "summary": {"en": [line, …], "ja": [line, …]}}
 * </pre>
 * Only the signatures and hashes prove anything; {@link #verify} checks every one of them, and the summary must be the
 * one made again from what verified. Entries after the newest signed tree head are not in a bundle (nothing signed
 * covers them yet). Stateless and thread-safe.
 */
public final class EvidenceBundle {

    public static final String TYPE = "kakehashi-evidence-bundle";
    public static final int VERSION = 1;
    private static final Set<String> MEMBERS = Set.of("type", "version", "agreementId", "localAgreementId", "created", "signedTreeHead",
            "checkpointKeys", "entries", "witnessedHeads", "receipts", "summary");
    private static final int MAX_PROOF = 64;

    /**
     * A verified entry: as stored, and whether it is a decision this connector issued a receipt of to the counterparty.
     */
    public record VerifiedEntry(StoredDecision stored, String receiptEvent) {
    }

    /**
     * A verified countersignature of a signed tree head that covers the bundle's entries up to {@code treeSize}.
     */
    public record VerifiedWitness(String witnessKid, long treeSize, Instant time) {
    }

    /**
     * What a bundle proves once every check passed: the agreement, the log's key that signed the head, the head, the
     * entries, the witnesses and the counterparty's receipts (with the entry each states).
     */
    public record Content(String agreementId, String localAgreementId, String logKid, Checkpoint head, List<VerifiedEntry> entries,
                          List<VerifiedWitness> witnesses, List<VerifiedReceipt> receipts) {
    }

    /**
     * A verified receipt of the counterparty and the entry of its log that it carries.
     */
    public record VerifiedReceipt(Receipt receipt, DecisionEntry entry) {
    }

    /**
     * The result of {@link #verify}: on success the content and its summary, with notes for the auditor (keys to check
     * elsewhere); otherwise {@code problem} names what failed.
     */
    public record Verification(boolean intact, Content content, EvidenceSummary summary, List<String> notes, String problem) {

        static Verification broken(String problem) {
            return new Verification(false, null, null, List.of(), problem);
        }
    }

    private EvidenceBundle() {
    }

    /**
     * Builds the bundle of the agreement named by its DSP id or this connector's local id (as the auditor API's
     * {@code agreement} filter matches): not found when no entry names it; a conflict when no signed tree head with a
     * Merkle root covers any of its entries yet, or when what the log holds about it does not verify (the bundle is
     * checked as the offline verifier checks it before it is given out).
     *
     * @param tree     the log's Merkle tree (the caller's, kept between requests so the log is read once)
     * @param witness  the witness evidence, or null when the runtime keeps none; countersignatures of heads that no key
     *                 of the log's history signed are left out, as {@link WitnessedHeadVerifier} ignores them
     * @param receipts the receipts kept from counterparties, or null
     */
    public static ServiceResult<String> build(DecisionLogStore store, DecisionLogTree tree, CheckpointStore checkpoints, WitnessStore witness,
                                              ReceiptStore receipts, String agreement, Instant now) {
        Objects.requireNonNull(agreement, "agreement");
        var matching = new ArrayList<StoredDecision>();
        for (long offset = 0; ; offset += DecisionQuery.MAX_LIMIT) {
            var page = store.query(DecisionQuery.builder().agreementId(agreement).offset(offset).limit(DecisionQuery.MAX_LIMIT).build());
            matching.addAll(page);
            if (page.size() < DecisionQuery.MAX_LIMIT) {
                break;
            }
        }
        if (matching.isEmpty()) {
            return ServiceResult.notFound("no decision names the agreement '%s'".formatted(agreement));
        }
        var head = latestTreeHead(checkpoints.all());
        if (head.isEmpty() || head.get().sequence() < matching.get(0).sequence()) {
            return ServiceResult.conflict("no signed tree head covers the decisions about agreement '%s' yet; the connector signs one within seconds, ask again"
                    .formatted(agreement));
        }
        var size = head.get().sequence();
        var covered = matching.stream().filter(stored -> stored.sequence() <= size).toList();
        // the DSP id is the one entries name the agreement by; a local id given is kept beside it
        var dspId = covered.stream().map(stored -> stored.entry().agreementId()).filter(agreement::equals).findFirst()
                .orElse(covered.get(0).entry().agreementId());
        var localId = agreement.equals(dspId) ? covered.stream().map(stored -> stored.entry().localAgreementId()).filter(Objects::nonNull).findFirst().orElse(null)
                : agreement;
        var keys = checkpoints.keys();
        MerkleTree merkle;
        try {
            merkle = tree.upTo(size);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return ServiceResult.conflict("the log does not hold the %d entries its newest signed tree head covers: %s; check the log with /v1/verify"
                    .formatted(size, e.getMessage()));
        }
        var history = CheckpointKeyHistory.byKeyId(CheckpointKeyHistory.read(keys));

        var bundle = JsonCanonicalizer.mapper().createObjectNode();
        bundle.put("type", TYPE);
        bundle.put("version", VERSION);
        bundle.put("agreementId", dspId);
        if (localId != null) {
            bundle.put("localAgreementId", localId);
        }
        bundle.put("created", now.truncatedTo(ChronoUnit.MILLIS).toString());
        var headNode = bundle.putObject("signedTreeHead");
        headNode.put("treeSize", size);
        headNode.put("jws", head.get().jws());
        var keyArray = bundle.putArray("checkpointKeys");
        keys.forEach(key -> keyArray.add(JsonCanonicalizer.parse(DecisionJson.keyLine(key))));
        var entries = bundle.putArray("entries");
        for (var stored : covered) {
            var node = DecisionJson.stored(stored);
            hexes(node.putArray("inclusionProof"), merkle.inclusionProof(stored.sequence() - 1, size));
            entries.add(node);
        }
        var witnessed = bundle.putArray("witnessedHeads");
        if (witness != null) {
            var first = covered.get(0).sequence();
            for (var record : witness.all()) {
                if (record.kind() == WitnessRecord.Kind.RECEIVED && record.cosignature() != null && record.treeSize() >= first && record.treeSize() <= size
                        && signedByTheLog(record.headJws(), history)) {
                    var node = witnessed.addObject();
                    node.set("record", JsonCanonicalizer.parse(WitnessJson.line(record)));
                    hexes(node.putArray("consistencyProof"), merkle.consistencyProof(record.treeSize(), size));
                }
            }
        }
        var receiptArray = bundle.putArray("receipts");
        if (receipts != null) {
            receipts.byAgreement(dspId).forEach(receipt -> receiptArray.add(JsonCanonicalizer.parse(Receipts.line(receipt))));
        }
        // the summary is made by the verifier's own path, so what is written is what an auditor's check makes again
        var verified = check(bundle, Optional.empty());
        if (!verified.intact()) {
            // the log itself is broken (an entry, a head or a witnessed head of it does not verify): no bundle vouches for it
            return ServiceResult.conflict("the evidence of agreement '%s' does not verify: %s; check the log with /v1/verify".formatted(agreement, verified.problem()));
        }
        var summary = bundle.putObject("summary");
        strings(summary.putArray("en"), verified.summary().english());
        strings(summary.putArray("ja"), verified.summary().japanese());
        return ServiceResult.success(JsonCanonicalizer.canonicalize(bundle));
    }

    /**
     * Verifies a bundle completely: each entry's chain hash and inclusion proof to the signed tree head, the head's
     * signature with the key of the bundle's key history its {@code kid} names (and, when {@code trustedFirstKey} is
     * given, that history's first key being that key), each witnessed head's signature, countersignature and
     * consistency with the bundle's head, each receipt's signatures with the issuer's key it carries, and that the
     * summary is the one made from all of that.
     */
    public static Verification verify(String json, Optional<ECKey> trustedFirstKey) {
        JsonNode bundle;
        try {
            bundle = JsonCanonicalizer.parse(json);
        } catch (RuntimeException e) {
            return Verification.broken("the bundle is not JSON: " + e.getMessage());
        }
        if (bundle == null || !bundle.isObject()) {
            return Verification.broken("the bundle is not a JSON object");
        }
        var verified = check((ObjectNode) bundle, trustedFirstKey);
        if (!verified.intact()) {
            return verified;
        }
        var summary = bundle.path("summary");
        if (!summary.isObject() || !verified.summary().english().equals(strings(summary.path("en"))) || !verified.summary().japanese().equals(strings(summary.path("ja")))) {
            return Verification.broken("summary: it does not state what the verified content says (made again from the entries, heads and receipts, it differs)");
        }
        return verified;
    }

    private static Verification check(ObjectNode bundle, Optional<ECKey> trustedFirstKey) {
        try {
            return checked(bundle, trustedFirstKey);
        } catch (IllegalArgumentException e) {
            return Verification.broken(e.getMessage());
        }
    }

    private static Verification checked(ObjectNode bundle, Optional<ECKey> trustedFirstKey) {
        bundle.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException("the bundle has an unknown member '%s'".formatted(name.length() > 64 ? name.substring(0, 64) : name));
            }
        });
        if (!TYPE.equals(bundle.path("type").textValue()) || !bundle.path("version").isIntegralNumber() || bundle.get("version").asLong() != VERSION) {
            throw new IllegalArgumentException("the document is not a %s of version %d".formatted(TYPE, VERSION));
        }
        var agreementId = text(bundle, "agreementId", "the bundle");
        var localId = bundle.has("localAgreementId") ? text(bundle, "localAgreementId", "the bundle") : null;
        var notes = new ArrayList<String>();

        // the key history, and the key the auditor trusts as its first
        var keyRecords = new ArrayList<CheckpointKey>();
        for (var line : array(bundle, "checkpointKeys")) {
            try {
                keyRecords.add(DecisionJson.key(JsonCanonicalizer.canonicalize(line)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("checkpoint key %d: not a key record: %s".formatted(keyRecords.size() + 1, e.getMessage()));
            }
        }
        var history = CheckpointKeyHistory.read(keyRecords);
        if (history.isEmpty()) {
            throw new IllegalArgumentException("checkpoint keys: the bundle holds no key history");
        }
        if (trustedFirstKey.isPresent()) {
            if (history.get(0).publicKey() == null
                    || !SignedTreeHeads.thumbprint(history.get(0).publicKey()).equals(SignedTreeHeads.thumbprint(trustedFirstKey.get()))) {
                throw new IllegalArgumentException("checkpoint keys: the history's first key is not the key you trust");
            }
        } else {
            notes.add("the key history's first key '%s' was not compared with a key you trust; check it against the connector's published identity (or give --public-key)"
                    .formatted(history.get(0).record().kid()));
        }
        history.stream().filter(entry -> entry.status() == CheckpointKeyHistory.Status.UNENDORSED).forEach(entry -> notes.add(
                "key '%s' was taken without a hand-over from the key before it; check it against the connector's published identity".formatted(entry.record().kid())));
        var byKid = CheckpointKeyHistory.byKeyId(history);

        // the signed tree head every entry is proved to
        var headNode = bundle.path("signedTreeHead");
        if (!headNode.isObject()) {
            throw new IllegalArgumentException("signed tree head: the bundle has none");
        }
        var headJws = text(headNode, "jws", "signed tree head");
        var logKid = SignedTreeHeads.keyId(headJws).orElseThrow(() -> new IllegalArgumentException("signed tree head: it names no key id"));
        var head = verifiedHead(headJws, byKid, "signed tree head");
        if (!headNode.path("treeSize").canConvertToLong() || headNode.get("treeSize").asLong() != head.sequence()) {
            throw new IllegalArgumentException("signed tree head: its treeSize is not the %d entries its signature covers".formatted(head.sequence()));
        }
        var root = MerkleTree.fromHex(head.treeRoot());

        // the entries
        var entries = new ArrayList<VerifiedEntry>();
        long last = 0;
        for (var node : array(bundle, "entries")) {
            var what = node.path("sequence").canConvertToLong() ? "entry at sequence " + node.get("sequence").asLong() : "entry " + (entries.size() + 1);
            if (!node.isObject()) {
                throw new IllegalArgumentException(what + ": not an object");
            }
            var copy = (ObjectNode) node.deepCopy();
            var proofNode = copy.remove("inclusionProof");
            if (proofNode == null) {
                throw new IllegalArgumentException(what + ": it has no inclusion proof");
            }
            StoredDecision stored;
            try {
                stored = DecisionJson.stored(JsonCanonicalizer.canonicalize(copy));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(what + ": not a stored decision: " + e.getMessage());
            }
            what = "entry at sequence " + stored.sequence();
            if (stored.sequence() <= last || stored.sequence() > head.sequence()) {
                throw new IllegalArgumentException(what + ": out of order, repeated, or beyond the signed tree head of %d entries".formatted(head.sequence()));
            }
            last = stored.sequence();
            if (!HashChain.hash(stored.previousHash(), stored.sequence(), stored.entry()).equals(stored.hash())) {
                throw new IllegalArgumentException(what + ": its content does not hash to its stored hash (the entry was changed)");
            }
            var entry = stored.entry();
            if (!names(entry, agreementId, localId)) {
                throw new IllegalArgumentException(what + ": it does not name the agreement " + agreementId);
            }
            var proof = proof(proofNode, what + ": inclusion proof");
            if (!MerkleTree.verifyInclusion(stored.sequence() - 1, head.sequence(), MerkleTree.leafHash(MerkleTree.fromHex(stored.hash())), proof, root)) {
                throw new IllegalArgumentException(what + ": its inclusion proof does not lead to the signed tree head's root");
            }
            entries.add(new VerifiedEntry(stored, receiptEvent(entry)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries: the bundle holds none");
        }

        // witnesses' countersignatures of heads that cover entries
        var witnesses = new ArrayList<VerifiedWitness>();
        for (var node : array(bundle, "witnessedHeads")) {
            var what = "witnessed head " + (witnesses.size() + 1);
            WitnessRecord record;
            try {
                record = WitnessJson.record(JsonCanonicalizer.canonicalize(node.path("record")));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(what + ": not a witness record: " + e.getMessage());
            }
            var witnessedHead = verifiedHead(record.headJws(), byKid, what);
            if (witnessedHead.sequence() != record.treeSize() || !witnessedHead.treeRoot().equals(record.rootHash())) {
                throw new IllegalArgumentException(what + ": its tree size and root are not those its signed head states");
            }
            Cosignatures.Cosignature cosignature;
            try {
                cosignature = Cosignatures.verify(record.cosignature() == null ? "" : record.cosignature());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage());
            }
            var signer = byKid.get(SignedTreeHeads.keyId(record.headJws()).orElseThrow()).publicKey();
            if (cosignature.treeSize() != witnessedHead.sequence() || !cosignature.rootHash().equals(witnessedHead.treeRoot())
                    || !cosignature.logKey().equals(SignedTreeHeads.thumbprint(signer))) {
                throw new IllegalArgumentException(what + ": the countersignature does not name this head of this log");
            }
            if (witnessedHead.sequence() > head.sequence()) {
                throw new IllegalArgumentException(what + ": it is larger than the bundle's signed tree head");
            }
            var consistency = proof(node.path("consistencyProof"), what + ": consistency proof");
            if (!MerkleTree.verifyConsistency(witnessedHead.sequence(), head.sequence(), MerkleTree.fromHex(witnessedHead.treeRoot()), root, consistency)) {
                throw new IllegalArgumentException(what + ": its consistency proof does not show the bundle's signed tree head extending it");
            }
            var witnessName = cosignature.witnessKid() != null ? cosignature.witnessKid() : "with key thumbprint " + SignedTreeHeads.thumbprint(cosignature.witnessKey());
            witnesses.add(new VerifiedWitness(witnessName, witnessedHead.sequence(), cosignature.time()));
        }

        // the counterparty's receipts
        var receipts = new ArrayList<VerifiedReceipt>();
        for (var node : array(bundle, "receipts")) {
            var what = "receipt " + (receipts.size() + 1);
            Receipt receipt;
            try {
                receipt = Receipts.fromLine(JsonCanonicalizer.canonicalize(node));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage());
            }
            if (!agreementId.equals(receipt.agreementId())) {
                throw new IllegalArgumentException(what + ": it is about agreement '%s', not %s".formatted(receipt.agreementId(), agreementId));
            }
            receipts.add(new VerifiedReceipt(receipt, Receipts.entry(receipt.jws())));
            notes.add("receipt %d is signed by %s's key with thumbprint %s; check that key against %s's published identity"
                    .formatted(receipts.size(), receipt.issuer(), thumbprint(receipt.issuerKey()), receipt.issuer()));
        }
        var content = new Content(agreementId, localId, logKid, head, List.copyOf(entries), List.copyOf(witnesses), List.copyOf(receipts));
        return new Verification(true, content, EvidenceSummary.of(content), List.copyOf(notes), null);
    }

    /**
     * The newest checkpoint that carries a Merkle tree head.
     */
    static Optional<Checkpoint> latestTreeHead(List<Checkpoint> checkpoints) {
        for (int i = checkpoints.size() - 1; i >= 0; i--) {
            if (checkpoints.get(i).treeRoot() != null) {
                return Optional.of(checkpoints.get(i));
            }
        }
        return Optional.empty();
    }

    private static boolean signedByTheLog(String jws, Map<String, CheckpointKeyHistory.Entry> history) {
        try {
            verifiedHead(jws, history, "witnessed head");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Checkpoint verifiedHead(String jws, Map<String, CheckpointKeyHistory.Entry> byKid, String what) {
        var kid = SignedTreeHeads.keyId(jws).orElseThrow(() -> new IllegalArgumentException(what + ": it names no key id"));
        var key = byKid.get(kid);
        if (key == null || key.publicKey() == null) {
            throw new IllegalArgumentException(what + ": it names key '%s', which the bundle's key history does not hold as a usable key".formatted(kid));
        }
        try {
            return SignedTreeHeads.verify(jws, key.publicKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }

    /**
     * Whether the entry names the agreement by either of its ids, in either member.
     */
    private static boolean names(DecisionEntry entry, String agreementId, String localId) {
        return agreementId.equals(entry.agreementId()) || agreementId.equals(entry.localAgreementId())
                || localId != null && (localId.equals(entry.agreementId()) || localId.equals(entry.localAgreementId()));
    }

    private static String receiptEvent(DecisionEntry entry) {
        return entry.reasons().stream().map(reason -> reason.constraint()).filter(Receipts.EVENTS::contains).findFirst().orElse(null);
    }

    private static String thumbprint(String jwk) {
        try {
            return SignedTreeHeads.thumbprint(ECKey.parse(jwk));
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("the receipt's issuer key is not an EC JWK");
        }
    }

    private static List<byte[]> proof(JsonNode node, String what) {
        if (!node.isArray() || node.size() > MAX_PROOF) {
            throw new IllegalArgumentException(what + ": not a list of at most %d hashes".formatted(MAX_PROOF));
        }
        var result = new ArrayList<byte[]>();
        for (var hash : node) {
            if (!hash.isTextual() || !DecisionEntry.isSha256Hex(hash.asText())) {
                throw new IllegalArgumentException(what + ": it holds a value that is not 64 lowercase hex characters");
            }
            result.add(MerkleTree.fromHex(hash.asText()));
        }
        return result;
    }

    private static JsonNode array(JsonNode bundle, String name) {
        var node = bundle.path(name);
        if (!node.isArray()) {
            throw new IllegalArgumentException("the bundle's '%s' is not a list".formatted(name));
        }
        return node;
    }

    private static String text(JsonNode node, String name, String what) {
        var value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("%s has no '%s'".formatted(what, name));
        }
        return value.asText();
    }

    private static void hexes(ArrayNode array, List<byte[]> hashes) {
        hashes.forEach(hash -> array.add(MerkleTree.toHex(hash)));
    }

    private static void strings(ArrayNode array, List<String> lines) {
        lines.forEach(array::add);
    }

    private static List<String> strings(JsonNode node) {
        if (!node.isArray()) {
            return null;
        }
        var lines = new ArrayList<String>();
        node.forEach(line -> lines.add(line.isTextual() ? line.asText() : line.toString()));
        return lines;
    }
}
