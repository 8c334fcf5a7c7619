package io.kakehashi.core.persistence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Leases taken by id that nobody saved after. EDC 0.15.1's protocol services lease a negotiation or a transfer process
 * by id to apply a peer's message, and on some paths neither save it nor let it go: an offer refused after the lease
 * (its sender not the negotiation's counterparty, or a negotiation that cannot be offered), a counter-request on a
 * negotiation that cannot be requested, a process of another participant context, and a message whose id was already
 * applied (a peer's retry after a lost answer, answered as a success). The lease then stays until it expires (60 s on
 * PostgreSQL), and nothing — this connector's own state machines included — moves the process on meanwhile.
 * <p>
 * Work run through {@link #letGoAfter} records every lease a store hands out by id on its thread ({@link #leased});
 * a save of the same entity on that thread clears it ({@link #saved}); those still unsaved when the work ends are let
 * go by the store that handed them out (the stored copy saved as it is, which changes nothing and ends the lease).
 * Outside such work nothing is recorded: a state machine keeps the leases it takes.
 */
public final class UnsavedLeases {

    private static final ThreadLocal<Map<String, Runnable>> OPEN = new ThreadLocal<>();

    private UnsavedLeases() {
    }

    /**
     * Runs the work; every lease taken by id on this thread meanwhile and not saved is let go once it ends, whether it
     * returned or threw. Nested calls are part of the outermost one.
     */
    public static <T> T letGoAfter(Supplier<T> work) {
        if (OPEN.get() != null) {
            return work.get();
        }
        var open = new LinkedHashMap<String, Runnable>();
        OPEN.set(open);
        try {
            return work.get();
        } finally {
            OPEN.remove();
            open.values().forEach(Runnable::run);
        }
    }

    /**
     * A lease taken by id on this thread, and how to let it go.
     *
     * @param key   the entity's kind and id, as {@link #saved} names it
     * @param letGo ends the lease; it must not throw (a failure to let go leaves the lease to expire, as before)
     */
    public static void leased(String key, Runnable letGo) {
        var open = OPEN.get();
        if (open != null) {
            open.putIfAbsent(key, letGo);
        }
    }

    /** The entity was saved on this thread, which ended any lease it held. */
    public static void saved(String key) {
        var open = OPEN.get();
        if (open != null) {
            open.remove(key);
        }
    }
}
