package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.DecisionSource;
import io.kakehashi.policy.decisionlog.spi.VerificationResult;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.WITNESSED_HEAD_FORK;
import static io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem.WITNESSED_HEAD_NOT_EXTENDED;

/**
 * Checks a log against the signed tree heads of it that others hold — heads its witnesses countersigned, heads a
 * witness refused as inconsistent, an earlier export's heads. Only heads whose signature verifies with a key of the
 * log's key history count: the log's operator signed them, so they bind it. Two such heads for one tree size with
 * different roots are a fork ({@code WITNESSED_HEAD_FORK}); a head whose size the log does not reach, or whose root is
 * not the log's Merkle tree head at that size, means the log was rewritten after the head was signed
 * ({@code WITNESSED_HEAD_NOT_EXTENDED}) — even when the operator re-signed every checkpoint with its own key. The
 * position of a failure is the tree size. Stateless and thread-safe.
 */
public final class WitnessedHeadVerifier {

    /**
     * The result, with how many distinct signed heads were checked, how many of them a witness countersigned (a
     * countersignature that verifies, naming the same head), and how many were ignored (not signed by the log's keys).
     */
    public record Result(VerificationResult result, int headsChecked, int cosigned, int ignored) {
    }

    private WitnessedHeadVerifier() {
    }

    public static Result verify(DecisionSource source, List<WitnessRecord> records, List<CheckpointKey> keys) {
        var history = CheckpointKeyHistory.byKeyId(CheckpointKeyHistory.read(keys));
        // size -> root -> the verified head (and whether a countersignature names it)
        var heads = new TreeMap<Long, Map<String, Boolean>>();
        var ignored = 0;
        for (var record : records) {
            var jwss = new ArrayList<String>();
            jwss.add(record.headJws());
            if (record.evidenceJws() != null) {
                jwss.add(record.evidenceJws());
            }
            for (var jws : jwss) {
                var head = verified(jws, history);
                if (head == null) {
                    ignored++;
                    continue;
                }
                var cosigned = jws.equals(record.headJws()) && cosigns(record.cosignature(), head);
                heads.computeIfAbsent(head.sequence(), size -> new TreeMap<>()).merge(head.treeRoot(), cosigned, Boolean::logicalOr);
            }
        }
        var checked = 0;
        var cosigned = 0;
        for (var size : heads.entrySet()) {
            if (size.getValue().size() > 1) {
                return new Result(VerificationResult.broken(size.getKey(), WITNESSED_HEAD_FORK,
                        "the log's key signed %d different tree heads for %d entries: %s".formatted(size.getValue().size(), size.getKey(), size.getValue().keySet())),
                        checked, cosigned, ignored);
            }
        }
        var tree = new DecisionLogTree(source);
        for (var size : heads.entrySet()) {
            var root = size.getValue().keySet().iterator().next();
            String actual;
            try {
                actual = tree.root(size.getKey());
            } catch (IllegalArgumentException | IllegalStateException e) {
                return new Result(VerificationResult.broken(size.getKey(), WITNESSED_HEAD_NOT_EXTENDED,
                        "a signed tree head of %d entries was witnessed, but the log's tree of that size cannot be made: %s".formatted(size.getKey(), e.getMessage())),
                        checked, cosigned, ignored);
            }
            if (!actual.equals(root)) {
                return new Result(VerificationResult.broken(size.getKey(), WITNESSED_HEAD_NOT_EXTENDED,
                        "a signed tree head of %d entries with root %s was witnessed; the log's tree of that size has root %s: the log was rewritten after it was signed"
                                .formatted(size.getKey(), root, actual)), checked, cosigned, ignored);
            }
            checked++;
            if (size.getValue().get(root)) {
                cosigned++;
            }
        }
        return new Result(VerificationResult.intact(0, 0), checked, cosigned, ignored);
    }

    private static Checkpoint verified(String jws, Map<String, CheckpointKeyHistory.Entry> history) {
        var kid = SignedTreeHeads.keyId(jws);
        if (kid.isEmpty() || !history.containsKey(kid.get()) || history.get(kid.get()).publicKey() == null) {
            return null;
        }
        try {
            return SignedTreeHeads.verify(jws, history.get(kid.get()).publicKey());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean cosigns(String cosignature, Checkpoint head) {
        if (cosignature == null) {
            return false;
        }
        try {
            var verified = Cosignatures.verify(cosignature);
            return verified.treeSize() == head.sequence() && verified.rootHash().equals(head.treeRoot());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
