package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One piece of witness evidence, kept by {@link WitnessStore}. {@code kind} says what it is:
 * <ul>
 *     <li>{@link Kind#WITNESSED}: this connector checked and countersigned a peer's signed tree head; {@code peer} is the
 *     peer's base URL, {@code headJws} the peer's signed head, {@code peerKey} the public JWK that verified it (pinned
 *     for the next rounds), {@code cosignature} this connector's countersignature;</li>
 *     <li>{@link Kind#CONFLICT}: a peer's signed head that is not consistent with the one witnessed before, not
 *     countersigned; {@code headJws} the new head, {@code evidenceJws} the earlier one, {@code reason} why;</li>
 *     <li>{@link Kind#RECEIVED}: a countersignature of one of this connector's own heads, sent by a witness;
 *     {@code peer} the witness's key id, {@code peerKey} its public JWK, {@code headJws} this connector's head.</li>
 * </ul>
 * {@code treeSize} and {@code rootHash} are a readable copy of the head's signed payload. Immutable and thread-safe.
 */
public record WitnessRecord(Kind kind, String peer, long treeSize, String rootHash, String headJws, String peerKey,
                            String cosignature, String evidenceJws, Instant time, String reason) {

    /**
     * What a record holds.
     */
    public enum Kind { WITNESSED, CONFLICT, RECEIVED }

    public WitnessRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(headJws, "headJws");
        Objects.requireNonNull(time, "time");
    }
}
