package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.RemoteJob;
import io.kakehashi.ai.spi.RemoteJobStore;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one way the state of a compute job changes, on the provider's side ({@link JobRecord}) and on the consumer's
 * ({@link RemoteJob}). The state table is {@link JobState#TRANSITIONS}; a move is {@link #transition}: checked against
 * the table inside the store's atomic update, saved, then recorded (a debug line, the waiters of the job's end
 * completed, the side's own end step run). A move the table does not have is refused with the reason and changes
 * nothing, whoever asks for it (the job's runner, its watchdog, the transport's events, either side's cancel). A
 * change that keeps the state (progress, admission, the provider's job id) is {@link #amend}, which refuses to move
 * the state. Thread-safe: the check and the write are one atomic update of the job.
 *
 * @param <J> the job's record type
 */
public final class JobLifecycle<J> {

    /** How the lifecycle reads and writes a side's jobs. */
    public interface Jobs<J> {
        Optional<J> find(String id);

        /** Atomic per job, as {@link ComputeJobStore#update} and {@link RemoteJobStore#update}. */
        StoreResult<J> update(String id, UnaryOperator<J> change);

        JobState stateOf(J job);
    }

    private final Jobs<J> jobs;
    private final Consumer<J> onEnd;
    private final String side;
    private final Monitor monitor;
    private final ConcurrentMap<String, CompletableFuture<J>> finished = new ConcurrentHashMap<>();

    /**
     * @param onEnd run once when a move of this lifecycle brings a job to a final state (before its waiters hear)
     * @param side  how the log names the side ("provider", "consumer")
     */
    public JobLifecycle(Jobs<J> jobs, Consumer<J> onEnd, String side, Monitor monitor) {
        this.jobs = jobs;
        this.onEnd = onEnd;
        this.side = side;
        // the services took no monitor as given before they moved states through here; a job must not stop on logging
        this.monitor = monitor == null ? new Monitor() { } : monitor;
    }

    /** The provider's jobs in {@code store}. */
    public static JobLifecycle<JobRecord> of(ComputeJobStore store, Consumer<JobRecord> onEnd, Monitor monitor) {
        return new JobLifecycle<>(jobs(store::findById, store::update, JobRecord::state), onEnd, "provider", monitor);
    }

    /** The consumer's jobs in {@code store}. */
    public static JobLifecycle<RemoteJob> of(RemoteJobStore store, Consumer<RemoteJob> onEnd, Monitor monitor) {
        return new JobLifecycle<>(jobs(store::findById, store::update, RemoteJob::state), onEnd, "consumer", monitor);
    }

    private static <J> Jobs<J> jobs(Function<String, Optional<J>> find, java.util.function.BiFunction<String, UnaryOperator<J>, StoreResult<J>> update,
                                    Function<J, JobState> state) {
        return new Jobs<>() {
            @Override
            public Optional<J> find(String id) {
                return find.apply(id);
            }

            @Override
            public StoreResult<J> update(String id, UnaryOperator<J> change) {
                return update.apply(id, change);
            }

            @Override
            public JobState stateOf(J job) {
                return state.apply(job);
            }
        };
    }

    /**
     * Moves a job to {@code target}, {@code change} giving the job as it then is (its reason, result, progress). The
     * answer is the saved job; {@code notFound} for an unknown job; {@code generalError} naming both states when the
     * state table has no move from the job's state to {@code target}, or when {@code change} does not end in
     * {@code target} — and then nothing was changed.
     */
    public StoreResult<J> transition(String id, JobState target, UnaryOperator<J> change) {
        var refusal = new AtomicReference<String>();
        var from = new AtomicReference<JobState>();
        var result = jobs.update(id, job -> {
            refusal.set(null);
            var current = jobs.stateOf(job);
            from.set(current);
            if (!current.canTransitionTo(target)) {
                refusal.set("job %s: cannot move from %s to %s".formatted(id, current, target));
                return job;
            }
            var next = change.apply(job);
            if (next == null || jobs.stateOf(next) != target) {
                refusal.set("job %s: a move to %s must end in %s".formatted(id, target, target));
                return job;
            }
            return next;
        });
        if (result.failed()) {
            return result;
        }
        if (refusal.get() != null) {
            monitor.debug("compute job (%s side): %s".formatted(side, refusal.get()));
            return StoreResult.generalError(refusal.get());
        }
        monitor.debug("compute job %s (%s side): %s -> %s".formatted(id, side, from.get(), target));
        if (target.isFinal()) {
            ended(id, result.getContent());
        }
        return result;
    }

    /**
     * Changes a job without moving its state (progress, admission, ids learnt); {@code generalError} when
     * {@code change} would move it, or when the job has ended (the store keeps a final job as it is).
     */
    public StoreResult<J> amend(String id, UnaryOperator<J> change) {
        var refusal = new AtomicReference<String>();
        var result = jobs.update(id, job -> {
            refusal.set(null);
            var next = change.apply(job);
            if (next != null && jobs.stateOf(next) != jobs.stateOf(job)) {
                refusal.set("job %s: a state is changed by a transition, not an amendment (%s to %s)"
                        .formatted(id, jobs.stateOf(job), jobs.stateOf(next)));
                return job;
            }
            return next;
        });
        if (result.succeeded() && refusal.get() != null) {
            return StoreResult.generalError(refusal.get());
        }
        return result;
    }

    /** Completes when the job reaches a final state, with the job as it then is; empty for an unknown job. */
    public Optional<CompletableFuture<J>> whenFinished(String id) {
        var job = jobs.find(id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        if (jobs.stateOf(job.get()).isFinal()) {
            return Optional.of(CompletableFuture.completedFuture(job.get()));
        }
        var future = finished.computeIfAbsent(id, key -> new CompletableFuture<>());
        // the job may have ended between the read and the registration
        jobs.find(id).filter(j -> jobs.stateOf(j).isFinal()).ifPresent(j -> {
            finished.remove(id);
            future.complete(j);
        });
        return Optional.of(future);
    }

    private void ended(String id, J job) {
        try {
            onEnd.accept(job);
        } catch (RuntimeException e) {
            monitor.warning("compute job %s (%s side): its end step failed: %s".formatted(id, side, e.getMessage()));
        }
        Optional.ofNullable(finished.remove(id)).ifPresent(future -> future.complete(job));
    }
}
