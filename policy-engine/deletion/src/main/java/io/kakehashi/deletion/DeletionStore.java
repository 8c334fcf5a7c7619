package io.kakehashi.deletion;

import java.util.List;
import java.util.Optional;

/**
 * The deletion receipts this connector signed (as a consumer) or kept (as a provider). A later record for the same
 * role and agreement replaces the earlier one (a delivery's outcome); nothing else changes. Replicas that share the
 * store (the PostgreSQL one) see each other's records, and {@link #keep} lets only the first receipt of an agreement
 * in. Thread-safe.
 */
public interface DeletionStore {

    void save(DeletionRecord record);

    /**
     * Keeps the record unless one for its role and agreement is kept already, atomically for every instance sharing
     * the store; answers the record kept: {@code record} itself, or the one that was there first.
     */
    DeletionRecord keep(DeletionRecord record);

    Optional<DeletionRecord> find(DeletionRecord.Role role, String agreementId);

    /** Every record, the latest per role and agreement, in the order first written. */
    List<DeletionRecord> all();
}
