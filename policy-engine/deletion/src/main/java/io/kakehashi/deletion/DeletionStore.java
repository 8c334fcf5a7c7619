package io.kakehashi.deletion;

import java.util.List;
import java.util.Optional;

/**
 * The deletion receipts this connector signed (as a consumer) or kept (as a provider). A later record for the same
 * role and agreement replaces the earlier one (a delivery's outcome); nothing else changes. Thread-safe.
 */
public interface DeletionStore {

    void save(DeletionRecord record);

    Optional<DeletionRecord> find(DeletionRecord.Role role, String agreementId);

    /** Every record, the latest per role and agreement, in the order first written. */
    List<DeletionRecord> all();
}
