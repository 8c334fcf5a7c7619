package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.DecisionLogCorruptedException;
import io.kakehashi.policy.decisionlog.spi.DecisionSource;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.spi.VerificationResult;

import java.text.ParseException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.CHECKPOINT_KEY_UNKNOWN;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.CHECKPOINT_NOT_IN_CHAIN;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.CHECKPOINT_PAYLOAD_MISMATCH;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.CHECKPOINT_SIGNATURE_INVALID;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.HASH_MISMATCH;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.MALFORMED_ENTRY;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.PREVIOUS_HASH_MISMATCH;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.SEQUENCE_MISMATCH;

/**
 * Recomputes a chain and checks its checkpoints, reporting the first broken link. At each position n (1-based)
 * it expects sequence number n, a previous hash equal to the hash at n-1 (the genesis value at 1), and a stored
 * hash equal to {@link HashChain#hash}. So an edited entry fails on its hash, a deleted, moved or renumbered one on
 * its sequence number, and an inserted one on the sequence number or previous hash of the entry it pushed down.
 * A checkpoint must be an ES256 JWS by the given key, its readable fields must equal its signed payload, and
 * the chain's hash at its sequence must be the signed one — which also catches a log cut short before it — and, when
 * it carries a tree head, the RFC 9162 Merkle tree head of the entries up to it must be the signed one.
 *
 * <p>Reads the source page by page, in chunks verified on every core at once; stateless and thread-safe.
 */
public final class ChainVerifier {

    private static final int PAGE = 1000;
    private static final int CHUNK = 16_384;

    private ChainVerifier() {
    }

    /**
     * Verifies every entry of the source.
     */
    public static VerificationResult verify(DecisionSource source) {
        return verify(source, 1, Long.MAX_VALUE);
    }

    /**
     * Verifies positions {@code from} to {@code to} (both inclusive, 1-based); the first one is linked to the
     * stored hash at {@code from - 1}, which is trusted for a range check.
     *
     * <p>Uses every core: the range is cut into chunks of {@value #CHUNK} positions verified at once, each linked to
     * the stored hash before it (as a range check is); since every chunk before a broken one is intact, the first
     * broken link of the first chunk that has one is the chain's first broken link, the same one a single pass finds.
     */
    public static VerificationResult verify(DecisionSource source, long from, long to) {
        return verify(source, from, to, CHUNK);
    }

    /**
     * {@link #verify(DecisionSource, long, long)} in chunks of {@code chunk} positions (tests use small ones).
     */
    static VerificationResult verify(DecisionSource source, long from, long to, int chunk) {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("range must satisfy 1 <= from <= to: " + from + ".." + to);
        }
        String previousHash;
        try {
            previousHash = HashChain.GENESIS;
            if (from > 1) {
                var before = source.readRange(from - 1, 1);
                if (before.isEmpty()) {
                    return VerificationResult.broken(from - 1, SEQUENCE_MISMATCH, "the log ends before position " + (from - 1));
                }
                previousHash = before.get(0).hash();
            }
        } catch (DecisionLogCorruptedException e) {
            return VerificationResult.broken(e.position(), MALFORMED_ENTRY, e.getMessage());
        }
        var threads = Runtime.getRuntime().availableProcessors();
        if (threads == 1 || to - from < chunk) {
            var single = scan(source, from, to, previousHash);
            return single.problem() != null ? single.problem() : VerificationResult.intact(single.checked(), 0);
        }
        return verifyInChunks(source, from, to, previousHash, threads, chunk);
    }

    private static VerificationResult verifyInChunks(DecisionSource source, long from, long to, String firstPreviousHash, int threads, int chunkSize) {
        var executor = Executors.newFixedThreadPool(threads, runnable -> {
            var thread = new Thread(runnable, "kakehashi-chain-verifier");
            thread.setDaemon(true);
            return thread;
        });
        try {
            var inFlight = new ArrayDeque<Future<Chunk>>();
            var next = from;
            long checked = 0;
            while (true) {
                while (next <= to && inFlight.size() < threads * 4) {
                    var start = next;
                    var end = Math.min(to, start + chunkSize - 1);
                    inFlight.add(executor.submit(() -> start == from ? scan(source, start, end, firstPreviousHash) : scanLinked(source, start, end)));
                    next = end + 1;
                }
                if (inFlight.isEmpty()) {
                    return VerificationResult.intact(checked, 0);
                }
                var chunk = await(inFlight.poll());
                if (chunk.problem() != null) {
                    return chunk.problem();
                }
                checked += chunk.checked();
                if (chunk.endOfLog()) {
                    return VerificationResult.intact(checked, 0);
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static Chunk await(Future<Chunk> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("verification interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * A chunk that does not start the range: linked to the stored hash of the entry before it, read here.
     */
    private static Chunk scanLinked(DecisionSource source, long start, long end) {
        try {
            var before = source.readRange(start - 1, 1);
            if (before.isEmpty()) {
                return new Chunk(0, null, true);
            }
            return scan(source, start, end, before.get(0).hash());
        } catch (DecisionLogCorruptedException e) {
            return new Chunk(0, VerificationResult.broken(e.position(), MALFORMED_ENTRY, e.getMessage()), false);
        }
    }

    /**
     * Verifies positions {@code start} to {@code end} in one pass, the first linked to {@code previousHash}.
     */
    private static Chunk scan(DecisionSource source, long start, long end, String previousHash) {
        var expected = start;
        try {
            while (expected <= end) {
                var max = (int) Math.min(PAGE, end - expected + 1);
                if (source instanceof LineSource lines) {
                    var page = lines.readPage(expected, max);
                    for (int i = 0; i < page.size(); i++) {
                        // a line in the canonical form the stores write is read and hashed from its bytes; any other
                        // goes through the strict tree parse, which finds what is wrong with it
                        var parsed = CanonicalStoredLine.parse(page.bytes(), page.start(i), page.end(i));
                        StoredDecision stored;
                        VerificationResult problem;
                        if (parsed != null) {
                            stored = parsed.stored();
                            problem = check(stored, expected, previousHash, page.bytes(), parsed.entryStart(), parsed.entryEnd());
                        } else {
                            var line = page.line(i);
                            stored = FileDecisionLogStore.parse(expected, line);
                            problem = check(stored, line, expected, previousHash);
                        }
                        if (problem != null) {
                            return new Chunk(expected - start, problem, false);
                        }
                        previousHash = stored.hash();
                        expected++;
                    }
                    if (page.size() < max) {
                        return new Chunk(expected - start, null, true);
                    }
                } else {
                    var page = source.readRange(expected, max);
                    for (var stored : page) {
                        var problem = check(stored, null, expected, previousHash);
                        if (problem != null) {
                            return new Chunk(expected - start, problem, false);
                        }
                        previousHash = stored.hash();
                        expected++;
                    }
                    if (page.size() < max) {
                        return new Chunk(expected - start, null, true);
                    }
                }
            }
            return new Chunk(expected - start, null, false);
        } catch (DecisionLogCorruptedException e) {
            return new Chunk(expected - start, VerificationResult.broken(e.position(), MALFORMED_ENTRY, e.getMessage()), false);
        }
    }

    /** What a chunk found: how many positions were intact, the first broken link if any, whether the log ended. */
    private record Chunk(long checked, VerificationResult problem, boolean endOfLog) {
    }

    /**
     * Verifies the whole chain, then every checkpoint against it with the connector's public key.
     */
    public static VerificationResult verify(DecisionSource source, List<Checkpoint> checkpoints, ECKey publicKey) {
        var chain = verify(source);
        if (!chain.intact()) {
            return chain;
        }
        var result = verifyCheckpoints(source, checkpoints, publicKey);
        return result.intact() ? VerificationResult.intact(chain.entriesChecked(), checkpoints.size()) : result;
    }

    /**
     * Checks each checkpoint's signature, payload and place in the chain; the chain itself is not re-verified.
     * The position of a failure is the checkpoint's sequence number.
     */
    public static VerificationResult verifyCheckpoints(DecisionSource source, List<Checkpoint> checkpoints, ECKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        ECDSAVerifier verifier;
        try {
            if (!Curve.P_256.equals(publicKey.getCurve())) {
                throw new IllegalArgumentException("checkpoints are verified with an EC P-256 public key");
            }
            verifier = new ECDSAVerifier(publicKey.toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable public key: " + e.getMessage(), e);
        }
        var tree = new DecisionLogTree(source);
        for (var checkpoint : checkpoints) {
            var problem = check(checkpoint, verifier, source, tree);
            if (problem != null) {
                return problem;
            }
        }
        return VerificationResult.intact(0, checkpoints.size());
    }

    /**
     * Verifies the whole chain, then every checkpoint with the key its JWS header names, taken from the log's key
     * history ({@link CheckpointKeyHistory}). A checkpoint that names no key id, or one the history does not hold or
     * holds unusable (a hand-over that does not verify), is {@code CHECKPOINT_KEY_UNKNOWN} at its sequence.
     */
    public static VerificationResult verifyWithHistory(DecisionSource source, List<Checkpoint> checkpoints, List<CheckpointKey> keys) {
        var chain = verify(source);
        if (!chain.intact()) {
            return chain;
        }
        var result = verifyCheckpointsWithHistory(source, checkpoints, keys);
        return result.intact() ? VerificationResult.intact(chain.entriesChecked(), checkpoints.size()) : result;
    }

    /**
     * Checks each checkpoint with the key of the history it names; the chain itself is not re-verified.
     */
    public static VerificationResult verifyCheckpointsWithHistory(DecisionSource source, List<Checkpoint> checkpoints, List<CheckpointKey> keys) {
        var history = CheckpointKeyHistory.byKeyId(CheckpointKeyHistory.read(keys));
        var verifiers = new HashMap<String, ECDSAVerifier>();
        var tree = new DecisionLogTree(source);
        for (var checkpoint : checkpoints) {
            var position = checkpoint.sequence();
            var kid = CheckpointKeyHistory.keyId(checkpoint);
            if (kid.isEmpty()) {
                return VerificationResult.broken(position, CHECKPOINT_KEY_UNKNOWN, "checkpoint names no key id (kid), or is not a compact JWS");
            }
            var key = history.get(kid.get());
            if (key == null) {
                return VerificationResult.broken(position, CHECKPOINT_KEY_UNKNOWN, "checkpoint is signed with key '%s', which the log's key history does not hold".formatted(kid.get()));
            }
            if (key.publicKey() == null) {
                return VerificationResult.broken(position, CHECKPOINT_KEY_UNKNOWN, "checkpoint is signed with key '%s', which is unusable: %s".formatted(kid.get(), key.problem()));
            }
            ECDSAVerifier verifier;
            try {
                verifier = verifiers.containsKey(kid.get()) ? verifiers.get(kid.get()) : new ECDSAVerifier(key.publicKey());
            } catch (JOSEException e) {
                return VerificationResult.broken(position, CHECKPOINT_KEY_UNKNOWN, "key '%s' cannot verify: %s".formatted(kid.get(), e.getMessage()));
            }
            verifiers.put(kid.get(), verifier);
            var problem = check(checkpoint, verifier, source, tree);
            if (problem != null) {
                return problem;
            }
        }
        return VerificationResult.intact(0, checkpoints.size());
    }

    /**
     * @param line the stored line the entry was read from, when the source has lines: its entry's text is hashed as
     *             it is (when the line is in the canonical form the stores write, that text is the entry's canonical
     *             JSON), and only when that does not give the stored hash is the entry canonicalised again
     */
    private static VerificationResult check(StoredDecision stored, String line, long expected, String previousHash) {
        var link = checkLink(stored, expected, previousHash);
        if (link != null) {
            return link;
        }
        if (line != null) {
            var canonical = canonicalEntryText(line, stored);
            if (canonical != null && HashChain.hashCanonical(previousHash, stored.sequence(), canonical).equals(stored.hash())) {
                return null;
            }
        }
        return checkRecomputed(stored, expected, previousHash);
    }

    /**
     * {@link #check(StoredDecision, String, long, String)} of an entry read by {@link CanonicalStoredLine} from a stored
     * line: its canonical JSON, at {@code bytes[entryStart, entryEnd)}, is hashed as it sits in the bytes.
     */
    private static VerificationResult check(StoredDecision stored, long expected, String previousHash, byte[] bytes, int entryStart, int entryEnd) {
        var link = checkLink(stored, expected, previousHash);
        if (link != null) {
            return link;
        }
        if (HashChain.hashCanonical(previousHash, stored.sequence(), bytes, entryStart, entryEnd).equals(stored.hash())) {
            return null;
        }
        return checkRecomputed(stored, expected, previousHash);
    }

    private static VerificationResult checkLink(StoredDecision stored, long expected, String previousHash) {
        if (stored.sequence() != expected) {
            return VerificationResult.broken(expected, SEQUENCE_MISMATCH, "expected sequence " + expected + ", found " + stored.sequence());
        }
        if (!stored.previousHash().equals(previousHash)) {
            return VerificationResult.broken(expected, PREVIOUS_HASH_MISMATCH,
                    "previous hash " + stored.previousHash() + " is not the hash of the entry before, " + previousHash);
        }
        return null;
    }

    private static VerificationResult checkRecomputed(StoredDecision stored, long expected, String previousHash) {
        var recomputed = HashChain.hash(previousHash, stored.sequence(), stored.entry());
        if (!recomputed.equals(stored.hash())) {
            return VerificationResult.broken(expected, HASH_MISMATCH,
                    "the entry hashes to " + recomputed + ", not to its stored hash " + stored.hash() + " (its content was changed)");
        }
        return null;
    }

    /**
     * The text of the entry in a stored line of exactly the form {@link DecisionJson#storedLine(StoredDecision, String)}
     * writes for this stored entry, or null when the line has another form.
     */
    static String canonicalEntryText(String line, StoredDecision stored) {
        var prefix = "{\"entry\":";
        var suffix = ",\"hash\":\"" + stored.hash() + "\",\"previousHash\":\"" + stored.previousHash() + "\",\"sequence\":" + stored.sequence() + "}";
        if (line.length() <= prefix.length() + suffix.length() || !line.startsWith(prefix) || !line.endsWith(suffix)) {
            return null;
        }
        return line.substring(prefix.length(), line.length() - suffix.length());
    }

    private static String keyName(JWSObject jws) {
        return jws.getHeader().getKeyID() == null ? "" : " '" + jws.getHeader().getKeyID() + "' it names";
    }

    private static VerificationResult check(Checkpoint checkpoint, ECDSAVerifier verifier, DecisionSource source, DecisionLogTree tree) {
        var position = checkpoint.sequence();
        JWSObject jws;
        try {
            jws = JWSObject.parse(checkpoint.jws());
        } catch (ParseException e) {
            return VerificationResult.broken(position, CHECKPOINT_SIGNATURE_INVALID, "checkpoint is not a compact JWS");
        }
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
            return VerificationResult.broken(position, CHECKPOINT_SIGNATURE_INVALID, "checkpoint is signed with " + jws.getHeader().getAlgorithm() + ", not ES256");
        }
        try {
            if (!jws.verify(verifier)) {
                return VerificationResult.broken(position, CHECKPOINT_SIGNATURE_INVALID, "checkpoint signature does not verify with the connector's key" + keyName(jws));
            }
        } catch (JOSEException e) {
            return VerificationResult.broken(position, CHECKPOINT_SIGNATURE_INVALID, "checkpoint signature cannot be checked: " + e.getMessage());
        }
        Checkpoint signed;
        try {
            signed = DecisionJson.checkpointFromPayload(JsonCanonicalizer.parse(jws.getPayload().toString()), checkpoint.jws());
        } catch (IllegalArgumentException e) {
            return VerificationResult.broken(position, CHECKPOINT_PAYLOAD_MISMATCH, "signed payload is not a checkpoint: " + e.getMessage());
        }
        if (!signed.equals(checkpoint)) {
            return VerificationResult.broken(position, CHECKPOINT_PAYLOAD_MISMATCH,
                    "checkpoint fields differ from its signed payload (sequence " + signed.sequence() + ", head " + signed.headHash() + ")");
        }
        var entry = source.readRange(position, 1);
        if (entry.isEmpty() || entry.get(0).sequence() != position) {
            return VerificationResult.broken(position, CHECKPOINT_NOT_IN_CHAIN, "the chain has no entry " + position + " that the checkpoint signs (entries are missing at the end)");
        }
        if (!entry.get(0).hash().equals(checkpoint.headHash())) {
            return VerificationResult.broken(position, CHECKPOINT_NOT_IN_CHAIN,
                    "the chain's hash at " + position + " is " + entry.get(0).hash() + ", the checkpoint signs " + checkpoint.headHash());
        }
        if (checkpoint.treeRoot() != null) {
            String root;
            try {
                root = tree.root(position);
            } catch (IllegalArgumentException | IllegalStateException e) {
                return VerificationResult.broken(position, CHECKPOINT_NOT_IN_CHAIN, "the Merkle tree of the first " + position + " entries cannot be made: " + e.getMessage());
            }
            if (!root.equals(checkpoint.treeRoot())) {
                return VerificationResult.broken(position, CHECKPOINT_NOT_IN_CHAIN,
                        "the Merkle tree head of the first " + position + " entries is " + root + ", the checkpoint signs " + checkpoint.treeRoot());
            }
        }
        return null;
    }
}
