package io.kakehashi.core.statemachine;

import org.eclipse.edc.spi.system.ExecutorInstrumentation;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Makes EDC's state-machine loops wakeable and wakes them when there is work for them.
 * <p>
 * As EDC's {@link ExecutorInstrumentation}, it gives each state-machine loop (recognised by the executor name EDC's
 * {@code StateMachineManager} passes, see {@link StateMachineKind}) a {@link WakeableScheduledExecutor}; every other
 * executor is returned unchanged, except the data plane's transfer executor, whose tasks wake the data plane's loop
 * when they end (a finished transfer is work for it). {@link #wake(Set)} then runs the waiting iteration of each loop of the kinds named.
 * A loop nobody wakes still finds its work after {@link WakeupTimings#idleWait()}, so correctness never depends on a
 * wake-up arriving.
 * <p>
 * Thread-safe.
 */
public final class StateMachineWakeups implements ExecutorInstrumentation {

    /** The name EDC's {@code DataPlaneFrameworkExtension} gives the executor its transfers run on. */
    static final String DATA_PLANE_TRANSFERS = "Data plane transfers";

    private final WakeupTimings timings;
    private final LongSupplier nanoTime;
    private final Map<StateMachineKind, List<WakeableScheduledExecutor>> loops = new EnumMap<>(StateMachineKind.class);
    private volatile java.util.function.Consumer<Set<StateMachineKind>> announcer = kinds -> {
    };

    public StateMachineWakeups(WakeupTimings timings) {
        this(timings, System::nanoTime);
    }

    StateMachineWakeups(WakeupTimings timings, LongSupplier nanoTime) {
        this.timings = timings;
        this.nanoTime = nanoTime;
        for (var kind : StateMachineKind.values()) {
            loops.put(kind, new CopyOnWriteArrayList<>());
        }
    }

    @Override
    public ScheduledExecutorService instrument(ScheduledExecutorService target, String name) {
        return StateMachineKind.ofExecutor(name)
                .<ScheduledExecutorService>map(kind -> {
                    var loop = new WakeableScheduledExecutor(target, timings, nanoTime, (foundWork, recentlyWoken) -> {
                        if (foundWork) {
                            wakeHere(kind.wokenAfterWork());
                        } else if (recentlyWoken) {
                            wakeHere(kind.wokenAfterIdleIteration());
                        }
                    });
                    loops.get(kind).add(loop);
                    return loop;
                })
                .orElse(target);
    }

    /** The data plane's transfer executor wakes the data plane's loop after each task; any other is returned unchanged. */
    @Override
    public ExecutorService instrument(ExecutorService target, String name) {
        if (DATA_PLANE_TRANSFERS.equals(name)) {
            return new WakingExecutorService(target, () -> wakeHere(Set.of(StateMachineKind.DATA_PLANE)));
        }
        return target;
    }

    /**
     * Wakes every loop of the kinds given, here and, once {@link #announceTo} was given a channel, in the other
     * replicas sharing this one's database; returns at once.
     */
    public void wake(Set<StateMachineKind> kinds) {
        wakeHere(kinds);
        announcer.accept(kinds);
    }

    /** Wakes this replica's loops of the kinds given, for work whose wake-up other replicas need not hear of. */
    public void wakeHere(Set<StateMachineKind> kinds) {
        for (var kind : kinds) {
            loops.get(kind).forEach(WakeableScheduledExecutor::wake);
        }
    }

    /** Where {@link #wake} sends wake-ups for the other replicas. */
    void announceTo(java.util.function.Consumer<Set<StateMachineKind>> announcer) {
        this.announcer = announcer;
    }

    /** How many loops of {@code kind} this instrumentation made wakeable. */
    public int loopCount(StateMachineKind kind) {
        return loops.get(kind).size();
    }
}
