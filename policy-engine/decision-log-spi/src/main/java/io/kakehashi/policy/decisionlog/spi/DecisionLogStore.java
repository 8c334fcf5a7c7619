package io.kakehashi.policy.decisionlog.spi;

import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;

/**
 * The append-only, hash-chained policy-decision log. Every implementation promises:
 * <ul>
 *     <li>{@link #append} assigns the next sequence number and the chain hash, and returns only once the entry is
 *     durable; concurrent appends (threads, and for shared stores other processes) are serialised, so the chain
 *     never forks;</li>
 *     <li>nothing is ever updated or deleted through this interface;</li>
 *     <li>reads return what is stored, tampered or not; whether it is intact is the verifier's business.</li>
 * </ul>
 * Implementations are thread-safe. Failures of the medium (disk, database) are thrown as
 * {@link org.eclipse.edc.spi.persistence.EdcPersistenceException}.
 */
public interface DecisionLogStore extends DecisionSource {

    /**
     * Appends the entry as the new head and returns it as stored.
     */
    StoredDecision append(DecisionEntry entry);

    /**
     * The entry at this position (1-based), or not-found past the head.
     */
    StoreResult<StoredDecision> read(long position);

    /**
     * The current head; sequence 0 and the genesis hash when the log is empty.
     */
    ChainHead head();

    /**
     * Entries matching the query, in sequence order, paginated.
     */
    List<StoredDecision> query(DecisionQuery query);
}
