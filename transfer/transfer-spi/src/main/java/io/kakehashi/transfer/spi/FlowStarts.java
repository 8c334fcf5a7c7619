package io.kakehashi.transfer.spi;

import org.eclipse.edc.connector.dataplane.spi.pipeline.StreamResult;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The flows a provider's transfer service runs, by process id, so that each runs once however often it is started.
 * <p>
 * EDC 0.15.1's provider starts a transfer in two steps: it starts the data flow, then sends the consumer the
 * {@code TransferStartMessage}. When that message fails (a timeout on a loaded or distant link, a lost answer) the
 * control plane processes {@code STARTING} again, and its data plane hands the same flow to the transfer service a
 * second time, while the first run goes on or after it ended. A second run pushes to the consumer's sink again, and
 * a compute job's two followers race for its one result: the loser told the consumer the result was "no longer kept"
 * and a federated round dropped a participant that had answered.
 * <p>
 * A start repeated while the flow runs joins the running one; one repeated after it ended gets the same end without
 * running again. A flow the control plane stopped ({@link #stopped}: suspend, terminate) is forgotten, so that its
 * resume runs. The ends of the last {@code remembered} flows are kept; in a new process (after a restart) nothing is,
 * and EDC's restart of the flows it left STARTED runs them. Thread-safe.
 */
public final class FlowStarts {

    /** How many ended flows a transfer service remembers by default. */
    public static final int REMEMBERED = 4096;

    private final Map<String, CompletableFuture<StreamResult<Object>>> running = new HashMap<>();
    private final Map<String, StreamResult<Object>> ended;

    public FlowStarts() {
        this(REMEMBERED);
    }

    public FlowStarts(int remembered) {
        this.ended = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StreamResult<Object>> eldest) {
                return size() > remembered;
            }
        });
    }

    /**
     * The end of flow {@code processId}: {@code run}'s when this is its first start, the running or ended run's when
     * it is not. {@code run} is called at most once per start and never while another run of the flow is going on.
     */
    public CompletableFuture<StreamResult<Object>> start(String processId, Supplier<CompletableFuture<StreamResult<Object>>> run) {
        var end = new CompletableFuture<StreamResult<Object>>();
        synchronized (running) {
            var live = running.get(processId);
            if (live != null) {
                return live;
            }
            var before = ended.get(processId);
            if (before != null) {
                return CompletableFuture.completedFuture(before);
            }
            running.put(processId, end);
        }
        CompletableFuture<StreamResult<Object>> started;
        try {
            started = run.get();
        } catch (RuntimeException e) {
            synchronized (running) {
                running.remove(processId, end);
            }
            throw e;
        }
        started.whenComplete((result, failure) -> {
            var outcome = failure == null ? result : StreamResult.error("the flow failed: " + failure.getMessage());
            synchronized (running) {
                // the end is known before the run is let go, so that a start arriving in between joins it
                if (running.remove(processId, end)) {
                    ended.put(processId, outcome);
                }
            }
            end.complete(outcome);
        });
        return end;
    }

    /**
     * The control plane stopped the flow (suspended or terminated it): its next start runs it. Answers whether the flow
     * ran or ended here: EDC terminates a flow that failed, and one that ended has nothing left to stop.
     */
    public boolean stopped(String processId) {
        synchronized (running) {
            var wasRunning = running.remove(processId) != null;
            var hadEnded = ended.remove(processId) != null;
            return wasRunning || hadEnded;
        }
    }

    /** Whether a run of the flow is going on. */
    public boolean isRunning(String processId) {
        synchronized (running) {
            return running.containsKey(processId);
        }
    }
}
