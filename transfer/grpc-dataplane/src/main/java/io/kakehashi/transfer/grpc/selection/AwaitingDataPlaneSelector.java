package io.kakehashi.transfer.grpc.selection;

import org.eclipse.edc.connector.dataplane.selector.spi.DataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstance;
import org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstanceStates;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * EDC's data-plane selector, made to wait for the data plane that is about to register during the first moments of a
 * runtime. At start EDC's transfer state machine may pick up a stored transfer before the embedded data plane has
 * registered and been found available; EDC's selector then answers "No dataplane found", which the transfer manager
 * treats as fatal and terminates the transfer (issue 14, defect 4). Within {@code registrationWait} of this
 * selector's creation, and only while no data plane at all is available, a selection that finds none is retried every
 * {@code poll} until one is available or the window closes. Once any data plane has been available a selection that
 * finds none answers at once, as EDC's does: none of the registered ones matches, and waiting would not change that.
 * (Every consumer's transfer asks for a consumer-side data plane that a Kakehashi connector does not have, and EDC
 * goes on without one; waiting out the window there held the first transfers after a start for up to 30 s.) A wait
 * blocks the caller (the state machine's thread), and only during start-up. Every other operation is the delegate's.
 * Thread-safe when the delegate is.
 */
public final class AwaitingDataPlaneSelector implements DataPlaneSelectorService {

    private final DataPlaneSelectorService delegate;
    private final Clock clock;
    private final Instant waitUntil;
    private final Duration registrationWait;
    private final Duration poll;
    private final Pause pause;
    /** Set once a data plane has been seen available; from then on nothing waits. */
    private volatile boolean registered;

    public AwaitingDataPlaneSelector(DataPlaneSelectorService delegate, Clock clock, Duration registrationWait, Duration poll, Pause pause) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registrationWait = Objects.requireNonNull(registrationWait, "registrationWait");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.waitUntil = clock.instant().plus(registrationWait);
    }

    @Override
    public ServiceResult<DataPlaneInstance> select(String selectionStrategy, Predicate<DataPlaneInstance> filter) {
        var selected = delegate.select(selectionStrategy, filter);
        var waited = false;
        while (isMissing(selected) && clock.instant().isBefore(waitUntil) && !anyAvailable()) {
            waited = true;
            if (!pause.pause(poll)) {
                break;
            }
            selected = delegate.select(selectionStrategy, filter);
        }
        if (waited && isMissing(selected)) {
            return ServiceResult.notFound("%s; none became available within the %s after start that a registering data plane is waited for"
                    .formatted(selected.getFailureDetail(), registrationWait));
        }
        return selected;
    }

    private boolean anyAvailable() {
        if (!registered) {
            var all = delegate.getAll();
            registered = all.succeeded() && all.getContent().stream().anyMatch(instance -> instance.getState() == DataPlaneInstanceStates.AVAILABLE.code());
        }
        return registered;
    }

    private static boolean isMissing(ServiceResult<DataPlaneInstance> selected) {
        return selected.failed() && selected.reason() == ServiceFailure.Reason.NOT_FOUND;
    }

    @Override
    public ServiceResult<List<DataPlaneInstance>> getAll() {
        return delegate.getAll();
    }

    @Override
    public ServiceResult<Void> register(DataPlaneInstance instance) {
        return delegate.register(instance);
    }

    @Override
    public ServiceResult<Void> addInstance(DataPlaneInstance instance) {
        return delegate.addInstance(instance);
    }

    @Override
    public ServiceResult<Void> unregister(String instanceId) {
        return delegate.unregister(instanceId);
    }

    @Override
    public ServiceResult<Void> update(DataPlaneInstance instance) {
        return delegate.update(instance);
    }

    @Override
    public ServiceResult<Void> delete(String instanceId) {
        return delegate.delete(instanceId);
    }

    @Override
    public ServiceResult<DataPlaneInstance> findById(String id) {
        return delegate.findById(id);
    }

    /** How a wait between two selections is spent; answers false when interrupted (the selection then gives up). */
    @FunctionalInterface
    public interface Pause {

        boolean pause(Duration duration);

        /** Sleeps the calling thread. */
        static Pause sleeping() {
            return duration -> {
                try {
                    Thread.sleep(duration.toMillis());
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            };
        }
    }
}
