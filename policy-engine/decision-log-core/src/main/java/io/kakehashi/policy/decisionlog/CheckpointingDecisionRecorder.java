package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one door through which decisions enter the log, the policy engine's and those recorded directly through
 * {@link DecisionRecorder}: appends each entry and signs a checkpoint of the head when
 * the {@link CheckpointSchedule} says one is due. A checkpoint that cannot be signed or saved does not undo an
 * appended entry; it is tried again with the next entry or from the timer. {@link #checkpointIfDue()} is also meant to be called from a
 * timer, so that a quiet log still gets its time-based checkpoint.
 *
 * <p>No unsigned tail: given a scheduler, the first entry that no checkpoint covers starts a one-shot timer of
 * {@link CheckpointSchedule#within()}; when it fires the head is signed (and, if that fails, tried again after the same
 * delay). A quiet log costs nothing. {@link #checkpointNow()} signs the head at once, for a shutdown.
 *
 * <p>Each checkpoint also signs the RFC 9162 Merkle tree head of the entries up to it ({@link DecisionLogTree}), kept
 * in memory and extended from the store.
 *
 * <p>Thread-safe. Several replicas sharing one store may each sign a checkpoint at nearly the same time; that
 * costs a redundant checkpoint, never a wrong one.
 */
public final class CheckpointingDecisionRecorder implements DecisionRecorder {

    private final DecisionLogStore store;
    private final CheckpointStore checkpoints;
    private final CheckpointSigner signer;
    private final CheckpointSchedule schedule;
    private final Clock clock;
    private final ScheduledExecutorService tailTimer;
    private final AtomicBoolean tailPending = new AtomicBoolean();
    private final AtomicLong highestAppended = new AtomicLong();
    private final DecisionLogTree tree;
    private volatile long lastSequence;
    private volatile Instant lastTime;
    private volatile RuntimeException checkpointFailure;

    public CheckpointingDecisionRecorder(DecisionLogStore store, CheckpointStore checkpoints, CheckpointSigner signer, CheckpointSchedule schedule, Clock clock) {
        this(store, checkpoints, signer, schedule, clock, null);
    }

    /**
     * @param tailTimer runs the one-shot signing of an unsigned tail ({@link CheckpointSchedule#within()}); {@code null}
     *                  for none (then only counts and {@link #checkpointIfDue()} sign)
     */
    public CheckpointingDecisionRecorder(DecisionLogStore store, CheckpointStore checkpoints, CheckpointSigner signer, CheckpointSchedule schedule, Clock clock,
                                         ScheduledExecutorService tailTimer) {
        this.store = Objects.requireNonNull(store, "store");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tailTimer = tailTimer;
        this.tree = new DecisionLogTree(store);
        var latest = checkpoints.latest();
        lastSequence = latest.map(Checkpoint::sequence).orElse(0L);
        lastTime = latest.map(Checkpoint::time).orElse(clock.instant());
        // a log left with an unsigned tail by an earlier run (a crash) is covered within the bound too
        var head = store.head().sequence();
        if (tailTimer != null) {
            // read the existing log into the Merkle tree off the appending threads, before the first checkpoint needs it
            try {
                tailTimer.execute(() -> {
                    try {
                        tree.upTo(head);
                    } catch (RuntimeException e) {
                        checkpointFailure = e;
                    }
                });
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }
        if (head > lastSequence) {
            noteAppended(head);
        }
    }

    /**
     * Appends the entry, then signs a checkpoint if one is due.
     *
     * @throws RuntimeException (e.g. {@link org.eclipse.edc.spi.persistence.EdcPersistenceException}) when the entry
     *                          could not be appended
     */
    public StoredDecision append(DecisionEntry entry) {
        var stored = store.append(entry);
        noteAppended(stored.sequence());
        // cheap test first: under concurrent appends only the one that crosses the count (or the interval) signs
        if (stored.sequence() - lastSequence >= schedule.everyEntries() || !clock.instant().isBefore(lastTime.plus(schedule.every()))) {
            try {
                checkpointIfDue();
            } catch (RuntimeException e) {
                // the entry is in the chain; the checkpoint is due again at the next entry or tick
                checkpointFailure = e;
            }
        }
        return stored;
    }

    @Override
    public Result<StoredDecision> record(DecisionEntry entry) {
        try {
            return Result.success(append(entry));
        } catch (RuntimeException e) {
            return Result.failure(NOT_RECORDED + ": " + e.getMessage());
        }
    }

    /**
     * The failure of the last checkpoint attempted after an append, if it failed (cleared by the next success).
     */
    public Optional<RuntimeException> lastCheckpointFailure() {
        return Optional.ofNullable(checkpointFailure);
    }

    /**
     * Signs and saves a checkpoint of the current head if the schedule says so and the chain has grown.
     */
    public synchronized Optional<Checkpoint> checkpointIfDue() {
        var head = store.head();
        if (head.sequence() <= lastSequence) {
            return Optional.empty();
        }
        var dueByCount = head.sequence() - lastSequence >= schedule.everyEntries();
        var dueByTime = !clock.instant().isBefore(lastTime.plus(schedule.every()));
        if (!dueByCount && !dueByTime) {
            return Optional.empty();
        }
        return Optional.of(sign(head));
    }

    /**
     * Signs and saves a checkpoint of the current head unless the last checkpoint already covers it: what the tail
     * timer and a shutdown call.
     *
     * @throws RuntimeException when the checkpoint cannot be signed or saved
     */
    public synchronized Optional<Checkpoint> checkpointNow() {
        var head = store.head();
        if (head.sequence() <= lastSequence) {
            return Optional.empty();
        }
        return Optional.of(sign(head));
    }

    private Checkpoint sign(io.kakehashi.policy.decisionlog.spi.ChainHead head) {
        // a signed tree head too: the Merkle tree of the entries up to the head, for inclusion and consistency proofs
        var checkpoint = signer.sign(head, tree.root(head.sequence()));
        checkpoints.save(checkpoint);
        lastSequence = checkpoint.sequence();
        lastTime = checkpoint.time();
        checkpointFailure = null;
        return checkpoint;
    }

    /**
     * Starts the tail timer when this entry is the first one since the last checkpoint (or the timer has fired).
     */
    private void noteAppended(long sequence) {
        highestAppended.accumulateAndGet(sequence, Math::max);
        if (tailTimer != null && sequence > lastSequence && tailPending.compareAndSet(false, true)) {
            try {
                tailTimer.schedule(this::signTail, schedule.within().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: the shutdown signs the head
                tailPending.set(false);
            }
        }
    }

    private void signTail() {
        try {
            checkpointNow();
        } catch (RuntimeException e) {
            checkpointFailure = e;
        }
        tailPending.set(false);
        // an entry appended while this one signed (or a failed signature) starts the timer again
        if (highestAppended.get() > lastSequence) {
            noteAppended(highestAppended.get());
        }
    }
}
