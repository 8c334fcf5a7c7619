package io.kakehashi.policy.auditor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.policy.decisionlog.ChainVerifier;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory;
import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.DecisionLogExporter;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.EvidenceBundle;
import io.kakehashi.policy.decisionlog.JsonCanonicalizer;
import io.kakehashi.policy.decisionlog.MerkleTree;
import io.kakehashi.policy.decisionlog.WitnessJson;
import io.kakehashi.policy.decisionlog.WitnessedHeadVerifier;
import io.kakehashi.policy.decisionlog.runtime.CheckpointVerificationKey;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.VerificationResult;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import io.kakehashi.policy.decisionlog.Receipts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.edc.spi.result.ServiceFailure;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The auditor API: read-only access to the policy-decision log. Every resource answers GET only (anything else is
 * 405 from JAX-RS), so an auditor cannot change what it audits. Malformed parameters are a 400 that names the
 * parameter. Authentication is the {@code auditor} web context's own (see {@link AuditorApiExtension}).
 * Thread-safe.
 */
@Path("/v1")
public class AuditorApiController {

    static final String JSON_LINES = "application/jsonl";
    private static final Set<String> RANGE = Set.of("from", "to");
    private static final int MAX_AGREEMENT_ID = 512;

    private final DecisionLogStore store;
    private final CheckpointStore checkpoints;
    private final CheckpointVerificationKey key;
    private final DecisionLogTree tree;
    private final Consumer<VerificationResult> verified;
    private final WitnessStore witness;
    private ReceiptStore receipts;
    private final Clock clock = Clock.systemUTC();

    public AuditorApiController(DecisionLogStore store, CheckpointStore checkpoints, CheckpointVerificationKey key) {
        this(store, checkpoints, key, result -> { });
    }

    public AuditorApiController(DecisionLogStore store, CheckpointStore checkpoints, CheckpointVerificationKey key,
                                Consumer<VerificationResult> verified) {
        this(store, checkpoints, key, verified, null);
    }

    /**
     * @param verified told of every verification's result (the metrics' verification counter)
     * @param witness  the witness evidence (null when the runtime keeps none): heads of this log that witnesses
     *                 countersigned, and heads of peers this connector witnessed
     */
    public AuditorApiController(DecisionLogStore store, CheckpointStore checkpoints, CheckpointVerificationKey key,
                                Consumer<VerificationResult> verified, WitnessStore witness) {
        this.witness = witness;
        this.store = store;
        this.checkpoints = checkpoints;
        this.key = key;
        this.tree = new DecisionLogTree(store);
        this.verified = verified;
    }

    /**
     * The latest signed tree head: the newest checkpoint that carries the Merkle tree head of the entries up to it
     * ({@code treeSize} = its sequence), with its JWS, which the auditor verifies with the checkpoint key. 404 while no
     * checkpoint carries one.
     */
    @GET
    @Path("/tree-head")
    @Produces(MediaType.APPLICATION_JSON)
    public Response treeHead() {
        var all = checkpoints.all();
        for (int i = all.size() - 1; i >= 0; i--) {
            var checkpoint = all.get(i);
            if (checkpoint.treeRoot() != null) {
                var body = JsonNodeFactory.instance.objectNode();
                body.put("treeSize", checkpoint.sequence());
                body.put("rootHash", checkpoint.treeRoot());
                body.set("checkpoint", JsonCanonicalizer.parse(DecisionJson.checkpointLine(checkpoint)));
                return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
            }
        }
        return error(Response.Status.NOT_FOUND, "no checkpoint carries a Merkle tree head yet");
    }

    /**
     * The RFC 9162 inclusion proof of entry {@code sequence} in the Merkle tree of the first {@code treeSize} entries
     * (leaf index {@code sequence - 1}; leaf data the 32 bytes of the entry's chain hash).
     */
    @GET
    @Path("/proofs/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    public Response inclusionProof(@Context UriInfo uri) {
        return inclusionProof(uri.getQueryParameters());
    }

    Response inclusionProof(Map<String, List<String>> parameters) {
        var only = AuditQueryParser.only(parameters, Set.of("sequence", "treeSize"));
        if (only.failed()) {
            return badRequest(only.getFailureDetail());
        }
        var sequence = required(parameters, "sequence");
        var treeSize = required(parameters, "treeSize");
        if (sequence.failed() || treeSize.failed()) {
            return badRequest(sequence.failed() ? sequence.getFailureDetail() : treeSize.getFailureDetail());
        }
        if (sequence.getContent() > treeSize.getContent()) {
            return badRequest("sequence %d is not within a tree of %d entries".formatted(sequence.getContent(), treeSize.getContent()));
        }
        var head = store.head().sequence();
        if (treeSize.getContent() > head) {
            return badRequest("treeSize %d is beyond the log's %d entries".formatted(treeSize.getContent(), head));
        }
        var merkle = tree.upTo(treeSize.getContent());
        var entry = store.read(sequence.getContent()).getContent();
        var body = JsonNodeFactory.instance.objectNode();
        body.put("sequence", sequence.getContent());
        body.put("treeSize", treeSize.getContent());
        body.put("leafIndex", sequence.getContent() - 1);
        body.put("entryHash", entry.hash());
        body.put("leafHash", MerkleTree.toHex(merkle.leaf(sequence.getContent() - 1)));
        body.put("rootHash", MerkleTree.toHex(merkle.root(treeSize.getContent())));
        var path = body.putArray("path");
        merkle.inclusionProof(sequence.getContent() - 1, treeSize.getContent()).forEach(hash -> path.add(MerkleTree.toHex(hash)));
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * The RFC 9162 consistency proof that the tree of the first {@code to} entries extends that of the first
     * {@code from}: the log only grew between two signed tree heads.
     */
    @GET
    @Path("/proofs/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    public Response consistencyProof(@Context UriInfo uri) {
        return consistencyProof(uri.getQueryParameters());
    }

    Response consistencyProof(Map<String, List<String>> parameters) {
        var only = AuditQueryParser.only(parameters, RANGE);
        if (only.failed()) {
            return badRequest(only.getFailureDetail());
        }
        var from = required(parameters, "from");
        var to = required(parameters, "to");
        if (from.failed() || to.failed()) {
            return badRequest(from.failed() ? from.getFailureDetail() : to.getFailureDetail());
        }
        if (to.getContent() < from.getContent()) {
            return badRequest("from must not be after to");
        }
        var head = store.head().sequence();
        if (to.getContent() > head) {
            return badRequest("to %d is beyond the log's %d entries".formatted(to.getContent(), head));
        }
        var merkle = tree.upTo(to.getContent());
        var body = JsonNodeFactory.instance.objectNode();
        body.put("from", from.getContent());
        body.put("to", to.getContent());
        body.put("fromRoot", MerkleTree.toHex(merkle.root(from.getContent())));
        body.put("toRoot", MerkleTree.toHex(merkle.root(to.getContent())));
        var path = body.putArray("path");
        merkle.consistencyProof(from.getContent(), to.getContent()).forEach(hash -> path.add(MerkleTree.toHex(hash)));
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    private static org.eclipse.edc.spi.result.Result<Long> required(Map<String, List<String>> parameters, String name) {
        if (!parameters.containsKey(name)) {
            return org.eclipse.edc.spi.result.Result.failure("the query parameter '%s' is required".formatted(name));
        }
        return AuditQueryParser.position(parameters, name, 1);
    }

    /**
     * Entries matching the filters, in sequence order, one page.
     */
    @GET
    @Path("/decisions")
    @Produces(MediaType.APPLICATION_JSON)
    public Response query(@Context UriInfo uri) {
        return query(uri.getQueryParameters());
    }

    Response query(Map<String, List<String>> parameters) {
        var parsed = AuditQueryParser.parse(parameters);
        if (parsed.failed()) {
            return badRequest(parsed.getFailureDetail());
        }
        var query = parsed.getContent();
        var body = JsonNodeFactory.instance.objectNode();
        body.put("offset", query.offset());
        body.put("limit", query.limit());
        var decisions = body.putArray("decisions");
        store.query(query).forEach(stored -> decisions.add(DecisionJson.stored(stored)));
        body.put("count", decisions.size());
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/decisions/{sequence}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response decision(@PathParam("sequence") String sequence) {
        long position;
        try {
            position = Long.parseLong(sequence);
        } catch (NumberFormatException e) {
            return badRequest("sequence '%s' is not a whole number".formatted(sequence));
        }
        if (position < 1) {
            return badRequest("sequence must be at least 1: " + position);
        }
        var read = store.read(position);
        return read.succeeded() ? Response.ok(DecisionJson.stored(read.getContent()).toString(), MediaType.APPLICATION_JSON).build()
                : error(Response.Status.NOT_FOUND, "no decision at sequence " + position);
    }

    /**
     * Verifies the whole chain and every checkpoint with the key of the log's key history it names, then every
     * witnessed head of this log the connector keeps (docs/decisions/0036: the log must extend it, and no two may
     * differ at one size), or, with {@code from}/{@code to},
     * a range of the chain. Answers 200 either way; {@code intact} says whether it held, and if not, where it broke.
     */
    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public Response verify(@Context UriInfo uri) {
        return verify(uri.getQueryParameters());
    }

    Response verify(Map<String, List<String>> parameters) {
        var only = AuditQueryParser.only(parameters, RANGE);
        if (only.failed()) {
            return badRequest(only.getFailureDetail());
        }
        VerificationResult result;
        WitnessedHeadVerifier.Result witnessed = null;
        if (parameters.isEmpty()) {
            var keys = checkpoints.keys();
            result = ChainVerifier.verifyWithHistory(store, checkpoints.all(), keys);
            if (result.intact() && witness != null) {
                witnessed = WitnessedHeadVerifier.verify(store, witness.all(), keys);
                if (!witnessed.result().intact()) {
                    result = witnessed.result();
                    witnessed = null;
                }
            }
        } else {
            var from = AuditQueryParser.position(parameters, "from", 1);
            var to = AuditQueryParser.position(parameters, "to", Math.max(1, store.head().sequence()));
            if (from.failed() || to.failed()) {
                return badRequest(from.failed() ? from.getFailureDetail() : to.getFailureDetail());
            }
            if (to.getContent() < from.getContent()) {
                return badRequest("from must not be after to");
            }
            result = ChainVerifier.verify(store, from.getContent(), to.getContent());
        }
        verified.accept(result);
        var body = json(result);
        if (witnessed != null) {
            body.put("witnessedHeadsChecked", witnessed.headsChecked());
            body.put("witnessedHeadsCountersigned", witnessed.cosigned());
        }
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * The witness evidence this connector keeps: countersignatures of its own heads that witnesses sent
     * ({@code RECEIVED}), heads of peers it countersigned ({@code WITNESSED}), and heads of peers it refused as
     * inconsistent with the one witnessed before ({@code CONFLICT}, with both heads), oldest first, with counts.
     */
    @GET
    @Path("/witnessed-heads")
    @Produces(MediaType.APPLICATION_JSON)
    public Response witnessedHeads() {
        var records = witness == null ? List.<WitnessRecord>of() : witness.all();
        var body = JsonNodeFactory.instance.objectNode();
        var counts = new java.util.EnumMap<WitnessRecord.Kind, Integer>(WitnessRecord.Kind.class);
        var array = body.putArray("records");
        for (var record : records) {
            array.add(WitnessJson.json(record));
            counts.merge(record.kind(), 1, Integer::sum);
        }
        body.put("received", counts.getOrDefault(WitnessRecord.Kind.RECEIVED, 0));
        body.put("witnessed", counts.getOrDefault(WitnessRecord.Kind.WITNESSED, 0));
        body.put("conflicts", counts.getOrDefault(WitnessRecord.Kind.CONFLICT, 0));
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * Where the receipts counterparties sent are kept (docs/decisions/0039); without it the receipt endpoints list none.
     */
    public AuditorApiController receipts(ReceiptStore receipts) {
        this.receipts = receipts;
        return this;
    }

    /**
     * The receipts counterparties sent of their decisions about processes shared with this connector, verified when
     * they were kept, oldest first; with {@code agreementId}, those about one DSP agreement. Each carries its JWS, so an
     * auditor checks it again with the issuer's key.
     */
    @GET
    @Path("/receipts")
    @Produces(MediaType.APPLICATION_JSON)
    public Response receipts(@Context UriInfo uri) {
        return receipts(uri.getQueryParameters());
    }

    Response receipts(Map<String, List<String>> parameters) {
        for (var name : parameters.keySet()) {
            if (!"agreementId".equals(name)) {
                return error(Response.Status.BAD_REQUEST, "unknown query parameter '%s'; only agreementId is accepted".formatted(name));
            }
        }
        var agreement = parameters.get("agreementId");
        if (agreement != null && (agreement.size() != 1 || agreement.get(0).isBlank())) {
            return error(Response.Status.BAD_REQUEST, "the query parameter 'agreementId' must be given once and not be empty");
        }
        var kept = receipts == null ? List.<Receipt>of() : agreement == null ? receipts.all() : receipts.byAgreement(agreement.get(0));
        var body = JsonNodeFactory.instance.objectNode();
        var array = body.putArray("receipts");
        for (var receipt : kept) {
            var node = array.addObject();
            node.put("issuer", receipt.issuer());
            node.put("event", receipt.event());
            if (receipt.agreementId() != null) {
                node.put("agreementId", receipt.agreementId());
            }
            node.put("issuerProcessId", receipt.issuerProcessId());
            node.put("recipientProcessId", receipt.recipientProcessId());
            node.put("sequence", receipt.sequence());
            node.put("entryHash", receipt.entryHash());
            node.put("treeSize", receipt.treeSize());
            node.put("rootHash", receipt.rootHash());
            node.set("issuerKey", io.kakehashi.policy.decisionlog.JsonCanonicalizer.parse(receipt.issuerKey()));
            node.put("received", receipt.received().toString());
            node.put("jws", receipt.jws());
        }
        body.put("count", kept.size());
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * The receipts as JSON Lines, for the offline verifier's {@code --receipts}.
     */
    @GET
    @Path("/export/receipts")
    @Produces(JSON_LINES)
    public Response exportReceipts() {
        var kept = receipts == null ? List.<Receipt>of() : receipts.all();
        StreamingOutput output = stream -> {
            var writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            for (var receipt : kept) {
                writer.write(Receipts.line(receipt));
                writer.write('\n');
            }
            writer.flush();
        };
        return Response.ok(output, JSON_LINES).build();
    }

    /**
     * The evidence bundle of one agreement (docs/decisions/0043), named by its DSP id or this connector's own id of it
     * (as the {@code agreement} filter of {@code /v1/decisions}): its entries with inclusion proofs to the newest signed
     * tree head, that head, the key history, the witnesses' countersigned heads, the counterparty's receipts and a
     * summary in English and Japanese, as one JSON document for the offline verifier's {@code --bundle}. 404 when no
     * entry names the agreement; 409 while no signed tree head covers its entries yet (one is signed within seconds).
     */
    @GET
    @Path("/export/agreements/{agreementId}/bundle")
    @Produces(MediaType.APPLICATION_JSON)
    public Response exportBundle(@PathParam("agreementId") String agreementId) {
        if (agreementId == null || agreementId.isBlank() || agreementId.length() > MAX_AGREEMENT_ID) {
            return badRequest("the agreement id must be given and at most %d characters".formatted(MAX_AGREEMENT_ID));
        }
        var built = EvidenceBundle.build(store, tree, checkpoints, witness, receipts, agreementId, clock.instant());
        if (built.failed()) {
            var status = built.reason() == ServiceFailure.Reason.NOT_FOUND ? Response.Status.NOT_FOUND : Response.Status.CONFLICT;
            return error(status, built.getFailureDetail());
        }
        return Response.ok(built.getContent(), MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"evidence-bundle-%s.json\"".formatted(agreementId.replaceAll("[^A-Za-z0-9._-]", "_")))
                .build();
    }

    /**
     * The witness evidence as JSON Lines, for the offline verifier's {@code --witnessed}.
     */
    @GET
    @Path("/export/witnessed-heads")
    @Produces(JSON_LINES)
    public Response exportWitnessedHeads() {
        var records = witness == null ? List.<WitnessRecord>of() : witness.all();
        StreamingOutput output = stream -> {
            var writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            for (var record : records) {
                writer.write(WitnessJson.line(record));
                writer.write('\n');
            }
            writer.flush();
        };
        return Response.ok(output, JSON_LINES).build();
    }

    /**
     * Entries as JSON Lines, each line as stored (sequence, previous hash, hash, entry), for the offline verifier.
     */
    @GET
    @Path("/export/decisions")
    @Produces(JSON_LINES)
    public Response exportDecisions(@Context UriInfo uri) {
        return exportDecisions(uri.getQueryParameters());
    }

    Response exportDecisions(Map<String, List<String>> parameters) {
        var only = AuditQueryParser.only(parameters, RANGE);
        if (only.failed()) {
            return badRequest(only.getFailureDetail());
        }
        var from = AuditQueryParser.position(parameters, "from", 1);
        var to = AuditQueryParser.position(parameters, "to", Long.MAX_VALUE);
        if (from.failed() || to.failed()) {
            return badRequest(from.failed() ? from.getFailureDetail() : to.getFailureDetail());
        }
        StreamingOutput output = stream -> {
            var writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            DecisionLogExporter.exportEntries(store, from.getContent(), to.getContent(), writer);
        };
        return Response.ok(output, JSON_LINES).build();
    }

    @GET
    @Path("/export/checkpoints")
    @Produces(JSON_LINES)
    public Response exportCheckpoints() {
        var all = checkpoints.all();
        StreamingOutput output = stream -> {
            var writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            DecisionLogExporter.exportCheckpoints(all, writer);
        };
        return Response.ok(output, JSON_LINES).build();
    }

    /**
     * The public JWK that signs new checkpoints (the history of earlier ones is {@code /v1/checkpoint-keys}). Compare it with the connector's published identity before
     * trusting a verification made with it.
     */
    @GET
    @Path("/checkpoint-key")
    @Produces(MediaType.APPLICATION_JSON)
    public Response checkpointKey() {
        return Response.ok(key.publicKey().toJSONString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * Every key the log has signed checkpoints with, oldest first: its key id, public JWK, when the log took it, how
     * it was handed over ({@code FIRST}, {@code ENDORSED} with the hand-over JWS signed by the key before it,
     * {@code UNENDORSED}, or {@code INVALID} with the problem), and the first and last checkpoint that names it.
     */
    @GET
    @Path("/checkpoint-keys")
    @Produces(MediaType.APPLICATION_JSON)
    public Response checkpointKeys() {
        var uses = CheckpointKeyHistory.uses(checkpoints.all());
        var body = JsonNodeFactory.instance.objectNode();
        var keys = body.putArray("keys");
        for (var entry : CheckpointKeyHistory.read(checkpoints.keys())) {
            var record = entry.record();
            var node = keys.addObject();
            node.put("kid", record.kid());
            node.set("jwk", JsonCanonicalizer.parse(record.publicJwk()));
            node.put("added", record.added().toString());
            node.put("status", entry.status().name());
            if (entry.problem() != null) {
                node.put("problem", entry.problem());
            }
            if (record.endorsement() != null) {
                node.put("endorsement", record.endorsement());
            }
            var use = uses.get(record.kid());
            node.put("checkpoints", use == null ? 0 : use.checkpoints());
            if (use != null) {
                node.set("firstUse", use(use.first()));
                node.set("lastUse", use(use.last()));
            }
        }
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * The key history as JSON Lines, each line as the file store keeps it, for the offline verifier.
     */
    @GET
    @Path("/export/checkpoint-keys")
    @Produces(JSON_LINES)
    public Response exportCheckpointKeys() {
        var all = checkpoints.keys();
        StreamingOutput output = stream -> {
            var writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            for (var record : all) {
                writer.write(DecisionJson.keyLine(record));
                writer.write('\n');
            }
            writer.flush();
        };
        return Response.ok(output, JSON_LINES).build();
    }

    private static ObjectNode use(Checkpoint checkpoint) {
        var node = JsonNodeFactory.instance.objectNode();
        node.put("sequence", checkpoint.sequence());
        node.put("time", checkpoint.time().toString());
        return node;
    }

    static ObjectNode json(VerificationResult result) {
        var node = JsonNodeFactory.instance.objectNode();
        node.put("intact", result.intact());
        if (result.intact()) {
            node.put("entriesChecked", result.entriesChecked());
            node.put("checkpointsChecked", result.checkpointsChecked());
        } else {
            node.put("position", result.position());
            node.put("problem", result.problem().name());
            node.put("reason", result.reason());
        }
        return node;
    }

    private static Response badRequest(String message) {
        return error(Response.Status.BAD_REQUEST, message);
    }

    private static Response error(Response.Status status, String message) {
        var body = JsonNodeFactory.instance.objectNode();
        body.put("status", status.getStatusCode());
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.toString()).build();
    }
}
