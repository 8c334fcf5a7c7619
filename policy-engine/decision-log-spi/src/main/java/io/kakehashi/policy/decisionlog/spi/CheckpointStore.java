package io.kakehashi.policy.decisionlog.spi;

import java.util.List;
import java.util.Optional;

/**
 * Where signed checkpoints are kept, next to the entries, with the public keys they were signed with. Append-only;
 * saving a second checkpoint for a sequence that already has one keeps the first, and saving a second key for a key
 * id keeps the first. Implementations are thread-safe.
 */
public interface CheckpointStore {

    void save(Checkpoint checkpoint);

    /**
     * Every checkpoint, in sequence order.
     */
    List<Checkpoint> all();

    Optional<Checkpoint> latest();

    /**
     * Keeps a key the log signs checkpoints with; a key id already kept keeps its first record.
     */
    void saveKey(CheckpointKey key);

    /**
     * Every key kept, in the order they were added (oldest first).
     */
    List<CheckpointKey> keys();
}
