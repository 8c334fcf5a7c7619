package io.kakehashi.core.statemachine;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * The executor of one EDC state-machine loop, whose wait between idle iterations a {@link #wake()} cuts short.
 * <p>
 * EDC's {@code StateMachineManager} runs each iteration as a one-shot task and, when the iteration found no work,
 * schedules the next one after its wait strategy's delay. This executor replaces that delay: {@link WakeupTimings#idleWait()}
 * normally, {@link WakeupTimings#afterWakeWait()} for a while after a wake-up, and none when a wake-up came while the
 * iteration ran (its queries may have missed the work the wake-up announces). A wake-up while the loop waits runs the
 * waiting iteration now; an iteration runs once either way. After each iteration an {@link IterationListener}
 * learns whether it found work (EDC asks for no wait; the first, from {@code start()}, counts as work) and whether a
 * wake-up came lately. Every other method delegates unchanged.
 * <p>
 * Thread-safe.
 */
final class WakeableScheduledExecutor implements ScheduledExecutorService {

    private final ScheduledExecutorService delegate;
    private final WakeupTimings timings;
    private final LongSupplier nanoTime;
    private final IterationListener afterIteration;
    private final Object lock = new Object();

    // all guarded by lock
    private long wakeups;
    private long wakeupsWhenIterationBegan;
    private long lastWakeNanos;
    private Iteration waiting;

    /**
     * @param afterIteration told after each iteration whether it found work (EDC's loop then asks for no wait) and
     *                       whether it ran within the after-wake window: the work done may have given other state
     *                       machines work without an event, as the data plane does when it tells the control plane
     *                       that a transfer completed
     */
    WakeableScheduledExecutor(ScheduledExecutorService delegate, WakeupTimings timings, LongSupplier nanoTime,
                              IterationListener afterIteration) {
        this.delegate = delegate;
        this.timings = timings;
        this.nanoTime = nanoTime;
        this.afterIteration = afterIteration;
    }

    /** Runs the waiting iteration now, or, when one is running, makes the next one follow it without a wait. */
    void wake() {
        Iteration now;
        synchronized (lock) {
            wakeups++;
            lastWakeNanos = nanoTime.getAsLong();
            now = waiting;
            waiting = null;
        }
        runEarly(now);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        boolean recentlyWoken;
        synchronized (lock) {
            recentlyWoken = wakeups > 0 && nanoTime.getAsLong() - lastWakeNanos < timings.afterWakeWindow().toNanos();
        }
        afterIteration.ended(delay <= 0, recentlyWoken);
        synchronized (lock) {
            var millis = delay <= 0 ? 0 : waitMillis();
            var iteration = new Iteration(command);
            iteration.future = delegate.schedule(iteration, millis, MILLISECONDS);
            if (millis > 0) {
                waiting = iteration;
            }
            return iteration.future;
        }
    }

    // guarded by lock
    private long waitMillis() {
        if (wakeups != wakeupsWhenIterationBegan) {
            return 0;
        }
        if (wakeups > 0 && nanoTime.getAsLong() - lastWakeNanos < timings.afterWakeWindow().toNanos()) {
            return timings.afterWakeWait().toMillis();
        }
        return timings.idleWait().toMillis();
    }

    private void runEarly(Iteration iteration) {
        if (iteration == null || iteration.started.get()) {
            return;
        }
        try {
            delegate.execute(iteration);
            iteration.future.cancel(false);
        } catch (RejectedExecutionException e) {
            // shutting down: the iteration runs when its wait ends, as EDC's loop expects
        }
    }

    /**
     * Runs the waiting iteration before shutting down, so that EDC's loop, already marked inactive, ends now rather
     * than after its idle wait.
     */
    @Override
    public void shutdown() {
        Iteration now;
        synchronized (lock) {
            now = waiting;
            waiting = null;
        }
        runEarly(now);
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return delegate.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return delegate.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return delegate.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return delegate.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return delegate.submit(task, result);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return delegate.submit(task);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return delegate.invokeAll(tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return delegate.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return delegate.invokeAny(tasks, timeout, unit);
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(command);
    }

    /** Told when an iteration ended. */
    @FunctionalInterface
    interface IterationListener {
        void ended(boolean foundWork, boolean recentlyWoken);
    }

    /** One iteration of the loop, run by whichever comes first: its wait ending or a wake-up. */
    private final class Iteration implements Runnable {

        private final Runnable command;
        private final AtomicBoolean started = new AtomicBoolean();
        private volatile ScheduledFuture<?> future;

        private Iteration(Runnable command) {
            this.command = command;
        }

        @Override
        public void run() {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            synchronized (lock) {
                wakeupsWhenIterationBegan = wakeups;
                if (waiting == this) {
                    waiting = null;
                }
            }
            command.run();
        }
    }
}
