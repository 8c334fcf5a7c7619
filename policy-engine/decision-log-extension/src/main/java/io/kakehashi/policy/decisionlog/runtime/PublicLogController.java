package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kakehashi.core.spi.web.HttpProblem;
import io.kakehashi.core.spi.web.JwsBodyReader;
import io.kakehashi.policy.decisionlog.Cosignatures;
import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.JsonCanonicalizer;
import io.kakehashi.policy.decisionlog.MerkleTree;
import io.kakehashi.policy.decisionlog.SignedTreeHeads;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What any peer may read of this connector's decision log without the auditor key, on the protocol context beside
 * DSP ({@code /decision-log/v1}): the latest signed tree head, consistency proofs between signed sizes, and the key
 * history that verifies them — nothing about any entry, only how many there are. And where a witness sends its
 * countersignature of one of these heads, which is kept only when it is a countersignature of a head this connector
 * signed, by a witness this connector can name (see docs/decisions/0036). The reads answer GET only (405 otherwise);
 * bad parameters are a 400 naming them. Every refusal has EDC's error shape ({@link HttpProblem}). Thread-safe.
 */
@Path("/decision-log/v1")
public class PublicLogController {

    static final int MAX_COSIGNATURE_BYTES = 16 * 1024;
    private static final JwsBodyReader COSIGNATURE_BODY = new JwsBodyReader("cosignature", MAX_COSIGNATURE_BYTES);
    private static final Set<String> RANGE = Set.of("from", "to");

    private final DecisionLogStore store;
    private final CheckpointStore checkpoints;
    private final WitnessStore witness;
    private final Function<Cosignatures.Cosignature, Optional<String>> knownWitness;
    private final Clock clock;
    private final ReceiptEndpoint receipts;
    private final DecisionLogTree tree;
    private static final long HEAD_CACHE_NANOS = 1_000_000_000L;
    private volatile CachedHead latest;

    /**
     * @param knownWitness for a verified countersignature, why its witness is not one this connector can name, or
     *                     empty when it is
     */
    public PublicLogController(DecisionLogStore store, CheckpointStore checkpoints, WitnessStore witness,
                               Function<Cosignatures.Cosignature, Optional<String>> knownWitness, Clock clock) {
        this(store, checkpoints, witness, knownWitness, clock, ReceiptEndpoint.none());
    }

    /**
     * @param receipts where {@code /receipts} goes (docs/decisions/0039)
     */
    public PublicLogController(DecisionLogStore store, CheckpointStore checkpoints, WitnessStore witness,
                               Function<Cosignatures.Cosignature, Optional<String>> knownWitness, Clock clock, ReceiptEndpoint receipts) {
        this.receipts = receipts == null ? ReceiptEndpoint.none() : receipts;
        this.store = store;
        this.checkpoints = checkpoints;
        this.witness = witness;
        this.knownWitness = knownWitness;
        this.clock = clock;
        this.tree = new DecisionLogTree(store);
    }

    /**
     * {@code {"treeSize", "rootHash", "signedTreeHead"}}: the newest checkpoint that carries a tree head, as its JWS.
     */
    @GET
    @Path("/tree-head")
    @Produces(MediaType.APPLICATION_JSON)
    public Response treeHead() {
        var head = latestTreeHead();
        if (head.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "no signed tree head yet");
        }
        var body = JsonNodeFactory.instance.objectNode();
        body.put("treeSize", head.get().sequence());
        body.put("rootHash", head.get().treeRoot());
        body.put("signedTreeHead", head.get().jws());
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * The RFC 9162 consistency proof between the trees of {@code from} and {@code to} entries, {@code to} at most the
     * latest signed tree head's size (a stranger learns no size the connector has not signed).
     */
    @GET
    @Path("/proofs/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    public Response consistencyProof(@Context UriInfo uri) {
        return consistencyProof(uri.getQueryParameters());
    }

    Response consistencyProof(Map<String, List<String>> parameters) {
        for (var name : parameters.keySet()) {
            if (!RANGE.contains(name)) {
                return badRequest("unknown query parameter '%s'; only from and to are accepted".formatted(name));
            }
        }
        var from = position(parameters, "from");
        var to = position(parameters, "to");
        if (from.message != null || to.message != null) {
            return badRequest(from.message != null ? from.message : to.message);
        }
        if (to.value < from.value) {
            return badRequest("from must not be after to");
        }
        var signed = latestTreeHead().map(Checkpoint::sequence).orElse(0L);
        if (to.value > signed) {
            return badRequest("to %d is beyond the latest signed tree head's %d entries".formatted(to.value, signed));
        }
        var merkle = tree.upTo(to.value);
        var body = JsonNodeFactory.instance.objectNode();
        body.put("from", from.value);
        body.put("to", to.value);
        var path = body.putArray("path");
        merkle.consistencyProof(from.value, to.value).forEach(hash -> path.add(MerkleTree.toHex(hash)));
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * The log's key history as JSON Lines (the auditor API's export form): the public keys that verify the heads, and
     * their hand-overs.
     */
    @GET
    @Path("/checkpoint-keys")
    @Produces("application/jsonl")
    public Response checkpointKeys() {
        var text = new StringBuilder();
        checkpoints.keys().forEach(key -> text.append(DecisionJson.keyLine(key)).append('\n'));
        return Response.ok(text.toString(), "application/jsonl").build();
    }

    /**
     * A witness's countersignature of one of this connector's signed tree heads: {@code {"cosignature": "<JWS>"}}.
     * 200 when kept (or kept already); 400 when it is not a countersignature or names no head this connector signed;
     * 403 when its witness is not one this connector can name; 413 when the body is over 16 KiB.
     */
    @POST
    @Path("/cosignatures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) {
        var read = COSIGNATURE_BODY.read(body);
        if (read.failed()) {
            return answer(read.problem());
        }
        var jws = read.jws();
        Cosignatures.Cosignature cosignature;
        try {
            cosignature = Cosignatures.verify(jws);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        var head = checkpoints.all().stream()
                .filter(checkpoint -> checkpoint.sequence() == cosignature.treeSize() && cosignature.rootHash().equals(checkpoint.treeRoot()))
                .findFirst();
        if (head.isEmpty() || !signedByOwnKey(head.get(), cosignature.logKey())) {
            return badRequest("the countersignature names no tree head this connector signed (size %d)".formatted(cosignature.treeSize()));
        }
        var unknown = knownWitness.apply(cosignature);
        if (unknown.isPresent()) {
            return error(Response.Status.FORBIDDEN, unknown.get());
        }
        var name = cosignature.witnessKid() != null ? cosignature.witnessKid() : SignedTreeHeads.thumbprint(cosignature.witnessKey());
        witness.save(new WitnessRecord(WitnessRecord.Kind.RECEIVED, name, cosignature.treeSize(), cosignature.rootHash(), head.get().jws(),
                JsonCanonicalizer.canonicalize(JsonCanonicalizer.parse(cosignature.witnessKey().toJSONString())), jws, null, clock.instant(), null));
        var answer = JsonNodeFactory.instance.objectNode();
        answer.put("kept", true);
        answer.put("treeSize", cosignature.treeSize());
        return Response.ok(answer.toString(), MediaType.APPLICATION_JSON).build();
    }

    /**
     * Receipts of counterparties' decisions ({@link ReceiptController}); 404 when this connector takes none.
     */
    @Path("/receipts")
    public ReceiptController receipts() {
        var controller = receipts.controller();
        if (controller == null) {
            throw new jakarta.ws.rs.NotFoundException();
        }
        return controller;
    }

    private boolean signedByOwnKey(Checkpoint head, String logKey) {
        var kid = SignedTreeHeads.keyId(head.jws());
        return kid.isPresent() && checkpoints.keys().stream().filter(key -> key.kid().equals(kid.get())).anyMatch(key -> {
            try {
                return SignedTreeHeads.thumbprint(com.nimbusds.jose.jwk.ECKey.parse(key.publicJwk())).equals(logKey);
            } catch (java.text.ParseException e) {
                return false;
            }
        });
    }

    /**
     * The newest checkpoint with a tree head, read from the store at most once a second (anyone may ask).
     */
    private Optional<Checkpoint> latestTreeHead() {
        var cached = latest;
        var now = System.nanoTime();
        if (cached != null && now - cached.readAt() < HEAD_CACHE_NANOS) {
            return cached.head();
        }
        var head = readLatestTreeHead();
        latest = new CachedHead(head, now);
        return head;
    }

    private record CachedHead(Optional<Checkpoint> head, long readAt) {
    }

    private Optional<Checkpoint> readLatestTreeHead() {
        var newest = checkpoints.latest();
        if (newest.isPresent() && newest.get().treeRoot() != null) {
            return newest;
        }
        var all = checkpoints.all();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).treeRoot() != null) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    private record Position(long value, String message) {
    }

    private static Position position(Map<String, List<String>> parameters, String name) {
        var values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return new Position(0, "the query parameter '%s' is required".formatted(name));
        }
        if (values.size() > 1) {
            return new Position(0, "the query parameter '%s' is given more than once".formatted(name));
        }
        try {
            var value = Long.parseLong(values.get(0));
            return value < 1 ? new Position(0, "'%s' must be at least 1".formatted(name)) : new Position(value, null);
        } catch (NumberFormatException e) {
            return new Position(0, "'%s' is not a whole number".formatted(name));
        }
    }

    private static Response badRequest(String message) {
        return answer(HttpProblem.badRequest(message));
    }

    private static Response error(Response.Status status, String message) {
        return answer(HttpProblem.of(status.getStatusCode(), message));
    }

    static Response answer(HttpProblem problem) {
        return Response.status(problem.status()).type(MediaType.APPLICATION_JSON).entity(problem.body()).build();
    }
}
