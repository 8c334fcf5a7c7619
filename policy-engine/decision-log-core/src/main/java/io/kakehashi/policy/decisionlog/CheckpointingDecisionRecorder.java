package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The one door through which decisions enter the log: appends each entry and signs a checkpoint of the head when
 * the {@link CheckpointSchedule} says one is due. {@link #checkpointIfDue()} is also meant to be called from a
 * timer, so that a quiet log still gets its time-based checkpoint.
 *
 * <p>Thread-safe. Several replicas sharing one store may each sign a checkpoint at nearly the same time; that
 * costs a redundant checkpoint, never a wrong one.
 */
public final class DecisionRecorder {

    private final DecisionLogStore store;
    private final CheckpointStore checkpoints;
    private final CheckpointSigner signer;
    private final CheckpointSchedule schedule;
    private final Clock clock;
    private long lastSequence;
    private Instant lastTime;

    public DecisionRecorder(DecisionLogStore store, CheckpointStore checkpoints, CheckpointSigner signer, CheckpointSchedule schedule, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        var latest = checkpoints.latest();
        lastSequence = latest.map(Checkpoint::sequence).orElse(0L);
        lastTime = latest.map(Checkpoint::time).orElse(clock.instant());
    }

    public StoredDecision record(DecisionEntry entry) {
        var stored = store.append(entry);
        checkpointIfDue();
        return stored;
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
        var checkpoint = signer.sign(head);
        checkpoints.save(checkpoint);
        lastSequence = checkpoint.sequence();
        lastTime = checkpoint.time();
        return Optional.of(checkpoint);
    }
}
