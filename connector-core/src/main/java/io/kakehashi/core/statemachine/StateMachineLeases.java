package io.kakehashi.core.statemachine;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The entities this runtime's state machine holds leased: from {@code nextNotLeased} until the entity is saved or its
 * lease broken. EDC 0.15.1 leases under the runtime's id, so a lease taken by id by another writer of the same runtime
 * — a command from the data plane or the management API, a peer's message — is granted while the state machine is
 * still sending, and when that writer's change is refused, EDC breaks the lease the state machine held. The state
 * machine, woken, then takes the process again in the state it is still stored in and does its step a second time:
 * a provider's transfer whose compute job ended before the consumer had answered the start was started twice, its
 * data flow received twice and its consumer sent two starts, and the end the data plane reported was lost (the sample's
 * federated round 8 of 2026-12-07 waited 30 s for the compute settler). A writer that asks for such a lease now waits
 * until the state machine saves or lets go, up to the patience, and is answered "still leased" after it — never handed
 * the lease the state machine holds. The state machine's own thread is not made to wait for itself.
 * <p>
 * A hold older than EDC's lease time (60 s) is taken to be abandoned. A state machine that leases the entity again
 * between the release and the waiting writer's lease is not detected (the two leases are then granted as before).
 * Thread-safe.
 */
final class StateMachineLeases {

    /** How long a writer waits for the state machine to let go: a local send or save takes less. */
    static final Duration PATIENCE = Duration.ofSeconds(2);

    /** EDC 0.15.1's lease time: a hold older than this one has expired in the store too. */
    static final Duration LEASE_TIME = Duration.ofSeconds(60);

    private record Hold(Thread owner, long sinceNanos) {
    }

    private final Duration patience;
    private final Map<String, Hold> holds = new HashMap<>();

    StateMachineLeases(Duration patience) {
        this.patience = patience;
    }

    /** The state machine's thread took these ids' leases. */
    synchronized void leased(Collection<String> ids) {
        var now = System.nanoTime();
        var owner = Thread.currentThread();
        ids.forEach(id -> holds.put(id, new Hold(owner, now)));
    }

    /** The hold on {@code id} as it stands, to be given to {@link #released} after a save; {@code null} for none. */
    synchronized Object holdOf(String id) {
        return holds.get(id);
    }

    /**
     * The entity was saved (which ends its lease in EDC's stores): the hold that stood when the save began ends, and
     * whoever waits for it may go on. A hold taken while the save ran — the state machine woken by this very save and
     * leasing the entity in its new state before the saving thread got here — is not that hold and stays.
     */
    synchronized void released(String id, Object holdBeforeSave) {
        if (holdBeforeSave != null && holds.remove(id, holdBeforeSave)) {
            notifyAll();
        }
    }

    /**
     * Waits while the state machine holds {@code id}, up to the patience.
     *
     * @return whether the entity is free to be leased (not held, held by this very thread, or the hold expired)
     */
    synchronized boolean awaitReleased(String id) {
        var deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            var hold = holds.get(id);
            if (hold == null || hold.owner() == Thread.currentThread()) {
                return true;
            }
            var now = System.nanoTime();
            if (now - hold.sinceNanos() > LEASE_TIME.toNanos()) {
                holds.remove(id);
                return true;
            }
            var left = deadline - now;
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
