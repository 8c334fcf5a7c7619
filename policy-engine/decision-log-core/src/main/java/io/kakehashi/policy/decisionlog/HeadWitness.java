package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind;

import java.io.IOException;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One witnessing round for one peer, without any I/O of its own: the peer's signed tree head is verified with the
 * peer's key (pinned at the first round, later keys only through hand-overs from it), checked for consistency with
 * the last head witnessed from that peer (RFC 9162 consistency proof fetched from the peer, checked against the two
 * roots the witness holds, never against roots the peer sends), and countersigned only when consistent. An
 * inconsistent head is kept as evidence with the earlier one. Thread-safe.
 */
public final class HeadWitness {

    /**
     * What the peer serves.
     */
    public interface Peer {
        /** the peer's latest signed tree head (a compact JWS) */
        String signedTreeHead() throws IOException;

        /** the peer's key history, oldest first */
        List<CheckpointKey> keys() throws IOException;

        /** the RFC 9162 consistency proof between the peer's trees of {@code from} and {@code to} entries */
        List<byte[]> consistencyProof(long from, long to) throws IOException;
    }

    /**
     * What a round did: the record to keep (null when there is nothing new, or the peer could not be checked), and
     * the problem when the head was not countersigned.
     */
    public record Outcome(WitnessRecord record, String problem) {
        public boolean countersigned() {
            return record != null && record.kind() == Kind.WITNESSED;
        }

        public boolean conflict() {
            return record != null && record.kind() == Kind.CONFLICT;
        }
    }

    private final ECKey witnessKey;
    private final BiFunction<String, ECKey, Optional<String>> firstKeyCheck;

    /**
     * @param witnessKey the witness's private EC P-256 key with a key id (its checkpoint key)
     */
    public HeadWitness(ECKey witnessKey) {
        this(witnessKey, (kid, key) -> Optional.empty());
    }

    /**
     * @param firstKeyCheck for the key a peer's first witnessed head is signed with (by its key id), why it is not
     *                      the peer's published key, or empty when it is (or cannot be checked: trust on first use)
     */
    public HeadWitness(ECKey witnessKey, BiFunction<String, ECKey, Optional<String>> firstKeyCheck) {
        this.witnessKey = Objects.requireNonNull(witnessKey, "witnessKey");
        this.firstKeyCheck = Objects.requireNonNull(firstKeyCheck, "firstKeyCheck");
    }

    /**
     * @param last the last {@link Kind#WITNESSED} record of this peer, if any
     */
    public Outcome witness(String peerName, Peer peer, Optional<WitnessRecord> last, Instant now) {
        String headJws;
        List<CheckpointKey> keys;
        try {
            headJws = peer.signedTreeHead();
            keys = peer.keys();
        } catch (IOException e) {
            return new Outcome(null, "peer unreachable: " + e.getMessage());
        }
        var kid = SignedTreeHeads.keyId(headJws);
        if (kid.isEmpty()) {
            return new Outcome(null, "the signed tree head names no key id");
        }
        ECKey peerKey;
        try {
            peerKey = peerKey(keys, kid.get(), last.map(WitnessRecord::peerKey));
        } catch (IllegalArgumentException e) {
            return new Outcome(null, e.getMessage());
        }
        if (last.isEmpty()) {
            var problem = firstKeyCheck.apply(kid.get(), peerKey);
            if (problem.isPresent()) {
                return new Outcome(null, problem.get());
            }
        }
        io.kakehashi.policy.decisionlog.spi.Checkpoint head;
        try {
            head = SignedTreeHeads.verify(headJws, peerKey);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, e.getMessage());
        }
        if (last.isPresent()) {
            var before = last.get();
            if (before.treeSize() == head.sequence() && before.rootHash().equals(head.treeRoot())) {
                return new Outcome(null, null);
            }
            String inconsistency;
            try {
                inconsistency = inconsistency(peer, before.treeSize(), before.rootHash(), head.sequence(), head.treeRoot());
            } catch (IOException e) {
                return new Outcome(null, "peer unreachable: " + e.getMessage());
            }
            if (inconsistency != null) {
                return new Outcome(new WitnessRecord(Kind.CONFLICT, peerName, head.sequence(), head.treeRoot(), headJws, jwk(peerKey), null,
                        before.headJws(), now, inconsistency), inconsistency);
            }
        }
        var cosignature = Cosignatures.sign(witnessKey, head, SignedTreeHeads.thumbprint(peerKey), now);
        return new Outcome(new WitnessRecord(Kind.WITNESSED, peerName, head.sequence(), head.treeRoot(), headJws, jwk(peerKey), cosignature,
                null, now, null), null);
    }

    /**
     * Why the tree of {@code newSize} entries with root {@code newRoot} does not extend (or is not extended by) the
     * one witnessed before, or null when one extends the other.
     */
    private static String inconsistency(Peer peer, long oldSize, String oldRoot, long newSize, String newRoot) throws IOException {
        if (oldSize == newSize) {
            return "two signed tree heads for %d entries with different roots: %s witnessed before, %s now".formatted(oldSize, oldRoot, newRoot);
        }
        if (newSize < oldSize) {
            // a log's latest signed head never goes back (checkpoints are append-only): its log or its checkpoints were cut
            return "the peer's latest signed tree head has %d entries, fewer than the %d witnessed before".formatted(newSize, oldSize);
        }
        var proof = peer.consistencyProof(oldSize, newSize);
        if (!MerkleTree.verifyConsistency(oldSize, newSize, MerkleTree.fromHex(oldRoot), MerkleTree.fromHex(newRoot), proof)) {
            return "the log of %d entries does not extend the one of %d entries witnessed before (consistency proof fails)".formatted(newSize, oldSize);
        }
        return null;
    }

    /**
     * The peer's key {@code kid}: on the first round any usable key of its history (trust on first use; the caller
     * may check it against the peer's DID document), later the pinned key or one handed over from it, hand-over by
     * hand-over.
     */
    static ECKey peerKey(List<CheckpointKey> keys, String kid, Optional<String> pinnedJwk) {
        var history = CheckpointKeyHistory.read(keys);
        var index = -1;
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).record().kid().equals(kid)) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("the signed tree head names key '%s', which the peer's key history does not hold".formatted(kid));
        }
        var entry = history.get(index);
        if (entry.publicKey() == null) {
            throw new IllegalArgumentException("the peer's key '%s' is unusable: %s".formatted(kid, entry.problem()));
        }
        if (pinnedJwk.isEmpty()) {
            return entry.publicKey();
        }
        String pinned;
        try {
            pinned = SignedTreeHeads.thumbprint((ECKey) JWK.parse(pinnedJwk.get()));
        } catch (ParseException | ClassCastException e) {
            throw new IllegalArgumentException("the pinned key of the peer is unreadable");
        }
        for (int i = index; i >= 0; i--) {
            var candidate = history.get(i);
            if (candidate.publicKey() != null && SignedTreeHeads.thumbprint(candidate.publicKey()).equals(pinned)) {
                return entry.publicKey();
            }
            if (candidate.status() != CheckpointKeyHistory.Status.ENDORSED) {
                break;
            }
        }
        throw new IllegalArgumentException("the peer's key '%s' is not the key witnessed before, nor handed over from it".formatted(kid));
    }

    private static String jwk(ECKey key) {
        return JsonCanonicalizer.canonicalize(JsonCanonicalizer.parse(key.toPublicJWK().toJSONString()));
    }
}
