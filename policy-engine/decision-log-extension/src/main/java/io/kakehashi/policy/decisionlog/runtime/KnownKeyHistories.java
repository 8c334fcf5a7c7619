package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.CheckpointKey;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The key histories of the counterparties whose receipts this connector takes, read from each once and again only
 * when a receipt names a key the history read last does not hold. A key history only grows — a key is appended,
 * handed over by the one before it (decision 0015), and what an entry means follows from the entries before it — so
 * an entry read once reads the same later; a new key is what makes a new read necessary. Until 2026-12-07 every
 * receipt cost a request to its issuer for the whole history. At most {@code maxPeers} histories are kept, the least
 * recently used forgotten first. Thread-safe.
 */
final class KnownKeyHistories {

    private final ReceiptController.KeyHistories source;
    private final Map<String, List<CheckpointKey>> byPeer;

    KnownKeyHistories(ReceiptController.KeyHistories source, int maxPeers) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxPeers < 1) {
            throw new IllegalArgumentException("at least one peer's history must be kept: " + maxPeers);
        }
        this.byPeer = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<CheckpointKey>> eldest) {
                return size() > maxPeers;
            }
        };
    }

    /**
     * The key history of the peer at {@code peerBase}: the one read before when it holds {@code kid}, otherwise read
     * now (and kept instead).
     *
     * @throws IOException when it has to be read and cannot be; nothing is kept then
     */
    List<CheckpointKey> holding(String peerBase, String kid) throws IOException {
        synchronized (byPeer) {
            var known = byPeer.get(peerBase);
            if (known != null && kid != null && known.stream().anyMatch(key -> kid.equals(key.kid()))) {
                return known;
            }
        }
        var read = List.copyOf(source.keys(peerBase));
        synchronized (byPeer) {
            byPeer.put(peerBase, read);
        }
        return read;
    }
}
