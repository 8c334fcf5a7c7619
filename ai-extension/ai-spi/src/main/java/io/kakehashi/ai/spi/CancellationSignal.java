package io.kakehashi.ai.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells a running job that it was cancelled. A runner checks {@link #isCancelled()} between steps and may register
 * an action (e.g. cancelling a running SQL statement) that runs once, at cancellation, or at once if the job is
 * already cancelled. Thread-safe.
 */
public final class CancellationSignal {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    public void onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }
}
