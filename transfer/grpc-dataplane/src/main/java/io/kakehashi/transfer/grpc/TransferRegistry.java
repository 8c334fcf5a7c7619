package io.kakehashi.transfer.grpc;

import io.grpc.Status;
import org.eclipse.edc.spi.result.ServiceResult;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The transfers one side of the data plane serves, by transfer id, with their state and their live calls.
 * {@link #suspend(String)} and {@link #terminate(String)} act on the live calls at once: each one's stopper
 * is called with the status to end it with, and new calls are refused. Thread-safe.
 *
 * @param <T> what a transfer offers its calls (a bulk source, a record stream, a sink)
 */
public final class TransferRegistry<T> {

    /** The life of a registered transfer. */
    public enum State { ACTIVE, SUSPENDED, TERMINATED }

    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final Function<String, ServiceResult<T>> loader;

    /** A registry that knows only what is registered. */
    public TransferRegistry() {
        this(id -> ServiceResult.notFound("unknown transfer " + id));
    }

    /**
     * A registry that asks {@code loader} about a transfer it does not hold (in a connector: the data plane's
     * store of data flows, which says whether the flow is started, suspended or gone).
     */
    public TransferRegistry(Function<String, ServiceResult<T>> loader) {
        this.loader = Objects.requireNonNull(loader);
    }

    /** Registers a transfer as active (or re-activates it with a new value, as a resumed start does). */
    public void register(String transferId, T value) {
        entries.compute(transferId, (id, old) -> {
            var entry = new Entry<>(Objects.requireNonNull(value));
            if (old != null) {
                entry.calls.addAll(old.calls);
            }
            return entry;
        });
    }

    /**
     * Opens a live call on a transfer.
     *
     * @param stopper called (once, from any thread) with the status to end the call with when the transfer is
     *                suspended or terminated
     * @return the transfer's value and a handle to release when the call ends; not found, or a conflict when
     *         the transfer is suspended or terminated
     */
    public ServiceResult<Lease<T>> open(String transferId, Consumer<Status> stopper) {
        var entry = entries.get(transferId);
        if (entry == null) {
            var loaded = loader.apply(transferId);
            if (loaded.failed()) {
                // a failed result carries no value: only its reason and message pass on
                return loaded.compose(x -> ServiceResult.<Lease<T>>success(null));
            }
            entry = entries.computeIfAbsent(transferId, id -> new Entry<>(loaded.getContent()));
        }
        synchronized (entry) {
            if (entry.state != State.ACTIVE) {
                return ServiceResult.conflict("transfer %s is %s".formatted(transferId, entry.state.name().toLowerCase()));
            }
            entry.calls.add(stopper);
        }
        var held = entry;
        return ServiceResult.success(new Lease<>(held.value, () -> held.calls.remove(stopper)));
    }

    /** The state of a transfer, or null when unknown. */
    public State state(String transferId) {
        var entry = entries.get(transferId);
        return entry == null ? null : entry.state;
    }

    /** The value of a transfer whatever its state, or null when unknown. */
    public T value(String transferId) {
        var entry = entries.get(transferId);
        return entry == null ? null : entry.value;
    }

    /** Suspends a transfer: its live calls end with {@code FAILED_PRECONDITION}, new ones are refused. */
    public boolean suspend(String transferId) {
        return stop(transferId, State.SUSPENDED,
                Status.FAILED_PRECONDITION.withDescription("transfer %s is suspended".formatted(transferId)));
    }

    /** Lets a suspended transfer take calls again. */
    public boolean resume(String transferId) {
        var entry = entries.get(transferId);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            if (entry.state == State.TERMINATED) {
                return false;
            }
            entry.state = State.ACTIVE;
            return true;
        }
    }

    /** Terminates a transfer for good: its live calls end with {@code CANCELLED}, new ones are refused. */
    public boolean terminate(String transferId) {
        return stop(transferId, State.TERMINATED,
                Status.CANCELLED.withDescription("transfer %s was terminated".formatted(transferId)));
    }

    /** Forgets a transfer (after it completed); later calls go to the loader again. */
    public void remove(String transferId) {
        entries.remove(transferId);
    }

    /**
     * Ends a transfer's live calls with {@code status} and forgets it, so that the next call asks the loader
     * (used when a connector revokes a transfer's tokens: suspended or terminated, the store knows which).
     */
    public boolean stopAndForget(String transferId, Status status) {
        var entry = entries.remove(transferId);
        if (entry == null) {
            return false;
        }
        Set<Consumer<Status>> toStop;
        synchronized (entry) {
            entry.state = State.TERMINATED;
            toStop = Set.copyOf(entry.calls);
            entry.calls.clear();
        }
        toStop.forEach(stopper -> stopper.accept(status));
        return true;
    }

    /**
     * Ends every live call with {@code status} and keeps each transfer as it is (a data plane that shuts down ends its
     * calls with UNAVAILABLE, so that its peers resume them once it is back).
     */
    public void interruptAll(Status status) {
        for (var entry : entries.values()) {
            Set<Consumer<Status>> toStop;
            synchronized (entry) {
                toStop = Set.copyOf(entry.calls);
                entry.calls.clear();
            }
            toStop.forEach(stopper -> stopper.accept(status));
        }
    }

    private boolean stop(String transferId, State state, Status status) {
        var entry = entries.get(transferId);
        if (entry == null) {
            return false;
        }
        Set<Consumer<Status>> toStop;
        synchronized (entry) {
            entry.state = state;
            toStop = Set.copyOf(entry.calls);
            entry.calls.clear();
        }
        toStop.forEach(stopper -> stopper.accept(status));
        return true;
    }

    /** A live call's hold on a transfer. */
    public record Lease<T>(T value, Runnable release) { }

    private static final class Entry<T> {
        private final T value;
        private final Set<Consumer<Status>> calls = ConcurrentHashMap.newKeySet();
        private volatile State state = State.ACTIVE;

        private Entry(T value) {
            this.value = value;
        }
    }
}
