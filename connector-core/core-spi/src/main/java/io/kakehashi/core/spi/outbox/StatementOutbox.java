package io.kakehashi.core.spi.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable outbox of the signed statements this connector sends to counterparties (decision receipts, and any
 * other {@code SignedStatement} whose delivery must survive a restart). A statement is kept before its first attempt
 * and until it is done: delivered, refused by the peer, or given up after the attempts allowed. What is kept is what
 * is sent anyway — the compact JWS and the address EDC holds for the process — never a key or a token.
 *
 * <p>A statement that cannot be signed yet (a receipt waits for the signed tree head that covers its entry) may be
 * kept first as a draft of a kind of its own, {@link #hold}ed by the one who will sign it, and {@link #complete}d into
 * the signed statement in one step: a crash between the two leaves the draft, never both nor neither, and whoever
 * claims the draft then finishes it.
 *
 * <p>Several replicas may share one outbox (PostgreSQL): a statement is sent by the replica that {@link #claim}ed it,
 * and a claim ends at its {@code until}, so a crashed replica's statements are taken up by another one. Every
 * operation is durable when it returns. Implementations are thread-safe.
 */
public interface StatementOutbox {

    /** How a statement ended. */
    enum Outcome { DELIVERED, NOT_TAKEN, REFUSED, GAVE_UP }

    /**
     * A statement waiting to be sent.
     *
     * @param id        the outbox's id of it
     * @param kind      which sender it belongs to ({@code decision-receipt}, …)
     * @param address   where it is sent (an http(s) URL EDC holds for the process)
     * @param statement the compact JWS as it is sent (for a draft: what its holder needs to sign it)
     * @param created   when it was kept
     * @param attempts  the attempts made so far
     * @param due       when the next attempt is due
     */
    record Pending(String id, String kind, String address, String statement, Instant created, int attempts, Instant due) {
    }

    /** Keeps a statement of {@code kind} for {@code address}, due at once; durable when it returns. */
    Pending put(String kind, String address, String statement, Instant now);

    /**
     * Keeps a statement of {@code kind} for {@code address}, due at {@code now} and already claimed by {@code holder}
     * until {@code until}, so that no other holder takes it before its holder has had the chance to
     * {@link #complete} it; durable when it returns.
     */
    Pending hold(String kind, String address, String statement, String holder, Instant now, Instant until);

    /**
     * Replaces the statement {@code holder} holds by {@code statement} of {@code kind} (a draft by the statement signed
     * from it), due at {@code now}, with no attempts counted and no claim: one durable step, after which the draft is
     * gone and the statement waits to be sent.
     *
     * @return false, changing nothing, when {@code holder} no longer held it (its claim ran out and another holder took
     *         it) or it is done
     */
    boolean complete(String id, String holder, String kind, String statement, Instant now);

    /**
     * Claims, for {@code holder} until {@code until}, at most {@code max} statements of {@code kind} that are not done,
     * are due at {@code now}, and that no other holder's running claim holds; oldest due first.
     */
    List<Pending> claim(String kind, String holder, Instant now, Instant until, int max);

    /**
     * Counts a failed attempt and lets the statement go until {@code due}.
     *
     * @return false when {@code holder} no longer held it (its claim ran out and another holder took it)
     */
    boolean retry(String id, String holder, int attempts, Instant due);

    /**
     * Marks the statement done; it is never sent again.
     *
     * @return false when {@code holder} no longer held it
     */
    boolean done(String id, String holder, Outcome outcome, String detail, Instant now);

    /**
     * The earliest moment a statement of {@code kind} not done may be claimed (its due time, or the end of another
     * holder's claim), empty when none is waiting.
     */
    Optional<Instant> nextDue(String kind);

    /** The statements of {@code kind} not done, oldest first. */
    List<Pending> pending(String kind);
}
