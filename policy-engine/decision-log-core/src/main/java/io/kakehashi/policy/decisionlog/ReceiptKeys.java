package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The issuer's keys a receipt may be verified with, as a witness takes a peer's (decision 0036): from the key history
 * the issuer serves, the key a {@code kid} names — on first contact any usable key of the history, later only the key
 * pinned from the issuer's earlier receipts or one handed over from it, hand-over by hand-over. Stateless and
 * thread-safe.
 */
public final class ReceiptKeys {

    private ReceiptKeys() {
    }

    /**
     * @param history   the issuer's key history, oldest first
     * @param pinnedJwk the key that verified the issuer's earlier receipts, if any
     * @return for a key id, the key to verify with; throws {@link IllegalArgumentException} naming why there is none
     */
    public static Function<String, Optional<ECKey>> of(List<CheckpointKey> history, Optional<String> pinnedJwk) {
        return kid -> Optional.of(HeadWitness.peerKey(history, kid, pinnedJwk));
    }
}
