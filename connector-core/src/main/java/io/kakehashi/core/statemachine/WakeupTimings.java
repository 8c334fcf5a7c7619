package io.kakehashi.core.statemachine;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a woken state-machine loop waits between iterations that found no work.
 *
 * @param idleWait        the wait when nothing woke the loop lately; it bounds how late work that raised no wake-up
 *                        (a retry falling due, a row saved by another replica) is found
 * @param afterWakeWindow how long after a wake-up the loop keeps looking often, for work whose wake-up came before it
 *                        could be seen (an event raised inside a transaction that had not committed yet)
 * @param afterWakeWait   the wait between iterations within that window
 */
public record WakeupTimings(Duration idleWait, Duration afterWakeWindow, Duration afterWakeWait) {

    public WakeupTimings {
        Objects.requireNonNull(idleWait, "idleWait");
        Objects.requireNonNull(afterWakeWindow, "afterWakeWindow");
        Objects.requireNonNull(afterWakeWait, "afterWakeWait");
    }
}
