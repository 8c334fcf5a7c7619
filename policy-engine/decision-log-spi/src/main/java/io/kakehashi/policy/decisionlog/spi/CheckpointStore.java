package io.kakehashi.policy.decisionlog.spi;

import java.util.List;
import java.util.Optional;

/**
 * Where signed checkpoints are kept, next to the entries. Append-only; saving a second checkpoint for a sequence
 * that already has one keeps the first. Implementations are thread-safe.
 */
public interface CheckpointStore {

    void save(Checkpoint checkpoint);

    /**
     * Every checkpoint, in sequence order.
     */
    List<Checkpoint> all();

    Optional<Checkpoint> latest();
}
