package io.kakehashi.core.persistence;

import org.eclipse.edc.spi.entity.StatefulEntity;
import org.eclipse.edc.spi.persistence.StateEntityStore;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.result.StoreFailure;
import org.eclipse.edc.spi.result.StoreResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Leases that hand out what is stored once the lease is held, not what was read before it. EDC 0.15.1's SQL stores
 * read an entity and then acquire its lease; when another transaction holds that lease, the acquisition waits until
 * it commits, and the entity read before is returned although the other transaction changed it. Its caller then
 * saves the stale copy over the change: a negotiation terminated through the management API went back to VERIFIED,
 * took the provider's finalization and ended FINALIZED on both sides (issue 14's crash suite, once in 20 rounds).
 * Once the lease is held nobody else can change the entity, so one read after it is the truth.
 */
public final class LeasedAfresh {

    /** Pause between two attempts at a lease another part of the connector holds. */
    static final Duration PAUSE = Duration.ofMillis(20);

    /**
     * Ends the reason of a lease taken by id that another writer held (for all of the patience, if any): the caller
     * may try again ({@link #stillLeased}). EDC answers a failed lease as a conflict, which a peer takes as final.
     */
    public static final String STILL_LEASED = "is being changed by another writer of this connector; try again";

    private LeasedAfresh() {
    }

    /** The entity leased, as stored once the lease is held. */
    public static <T extends StatefulEntity<T>> StoreResult<T> findByIdAndLease(StateEntityStore<T> store, String id) {
        return findByIdAndLease(store, id, Duration.ZERO);
    }

    /**
     * As {@link #findByIdAndLease(StateEntityStore, String)}, waiting up to {@code patience} while another part of
     * this connector holds the lease for a moment. EDC 0.15.1's data plane needs it: when a transfer ends it takes the
     * flow's lease once to record the end, and drops the end for good if the lease is held at that instant — by its
     * own state machine, which leases every running flow twice a second to renew it. The flow then stays STARTED on
     * both sides although every byte arrived (issue 14's crash suite: a PUSH resumed after a provider restart).
     */
    public static <T extends StatefulEntity<T>> StoreResult<T> findByIdAndLease(StateEntityStore<T> store, String id, Duration patience) {
        var deadline = System.nanoTime() + patience.toNanos();
        var leased = store.findByIdAndLease(id);
        while (leased.failed() && leased.reason() == StoreFailure.Reason.ALREADY_LEASED && System.nanoTime() < deadline) {
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return leased;
            }
            leased = store.findByIdAndLease(id);
        }
        if (leased.failed()) {
            if (leased.reason() == StoreFailure.Reason.ALREADY_LEASED) {
                return stillLeasedFailure(id);
            }
            return leased;
        }
        var fresh = store.findById(id);
        return fresh == null ? leased : StoreResult.success(fresh);
    }

    /** The answer to a lease taken by id while another writer of this connector holds it ({@link #STILL_LEASED}). */
    public static <T> StoreResult<T> stillLeasedFailure(String id) {
        return StoreResult.alreadyLeased("%s %s".formatted(id, STILL_LEASED));
    }

    /** Whether a service's failure is a lease taken by id that another writer held. */
    public static boolean stillLeased(ServiceResult<?> result) {
        return result.failed() && result.reason() == ServiceFailure.Reason.CONFLICT && result.getFailureDetail().endsWith(STILL_LEASED);
    }

    /**
     * The entities leased for a state machine, each as stored once its lease is held. One whose state changed between
     * the read and the lease is let go (saved as stored, which changes nothing and ends the lease) and left out: it no
     * longer matches what the state machine asked for, and it will be found again in its new state.
     */
    public static <T extends StatefulEntity<T>> List<T> nextNotLeased(StateEntityStore<T> store, int max, Criterion... criteria) {
        var leased = store.nextNotLeased(max, criteria);
        var current = new ArrayList<T>(leased.size());
        for (var entity : leased) {
            var fresh = store.findById(entity.getId());
            if (fresh == null) {
                continue;
            }
            if (fresh.getState() == entity.getState() && fresh.getStateCount() == entity.getStateCount()) {
                current.add(fresh);
            } else {
                store.save(fresh);
            }
        }
        return current;
    }
}
