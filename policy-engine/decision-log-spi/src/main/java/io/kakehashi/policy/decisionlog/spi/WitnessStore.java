package io.kakehashi.policy.decisionlog.spi;

import java.util.List;

/**
 * Where witness evidence is kept: heads of peers this connector countersigned, heads of peers it refused as
 * inconsistent (with the earlier head), and countersignatures of its own heads it received. Append-only and durable
 * before {@link #save} returns; saving a record equal in kind, peer, tree size and root hash (and, for
 * {@link WitnessRecord.Kind#RECEIVED}, witness) to a kept one keeps the first. Implementations are thread-safe.
 */
public interface WitnessStore {

    void save(WitnessRecord record);

    /**
     * Every record, in the order they were saved.
     */
    List<WitnessRecord> all();
}
