package io.kakehashi.lineage;

import java.util.List;
import java.util.Optional;

/**
 * The consumer's lineage records. Implementations are thread-safe; a record, once kept, is never changed.
 */
public interface LineageStore {

    /** Keeps the record; answers {@code false} when a record with its id is already kept (which stays as it was). */
    boolean save(LineageRecord record);

    Optional<LineageRecord> findById(String id);

    /** The records received under an agreement (this connector's id of it), oldest first. */
    List<LineageRecord> findByAgreement(String agreementId);

    /** The records whose content was written at {@code destination} (an absolute, normalised path), oldest first. */
    List<LineageRecord> findByDestination(String destination);
}
