package io.kakehashi.core.statemachine;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that wakes state machines after each task it ran. The data plane's transfers run on one; a transfer
 * that ends saves its data flow COMPLETED or FAILED from such a task, outside the data plane's loop and without an
 * event, and the loop must then tell the control plane.
 * <p>
 * Thread-safe.
 */
final class WakingExecutorService extends AbstractExecutorService {

    private final ExecutorService delegate;
    private final Runnable wake;

    WakingExecutorService(ExecutorService delegate, Runnable wake) {
        this.delegate = delegate;
        this.wake = wake;
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(() -> {
            try {
                command.run();
            } finally {
                wake.run();
            }
        });
    }

    @Override
    public void shutdown() {
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
}
