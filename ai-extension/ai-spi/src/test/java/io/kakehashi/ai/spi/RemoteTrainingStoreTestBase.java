package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.StoreFailure;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link RemoteTrainingStore} keeps. A store implementation subclasses it and provides the store.
 */
public abstract class RemoteTrainingStoreTestBase {

    protected static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    protected abstract RemoteTrainingStore store();

    protected static RemoteTraining training(Instant createdAt) {
        return RemoteTraining.running(UUID.randomUUID().toString(), 3, List.of("jp-maker (a-1)", "de-operator (a-2)"), 2, "PT2M",
                List.of(0.0, 0.5, -0.25), createdAt);
    }

    protected static RemoteTraining.Round round(int number) {
        return new RemoteTraining.Round(number, List.of("jp-maker (a-1)"), Map.of("de-operator (a-2)", "denied by policy: purpose"),
                120, 4096, 2048, 1500, Map.of("jp-maker (a-1)", "job-" + number));
    }

    @Test
    void create_whenNew_shouldBeFoundWithEverythingItCarries() {
        var training = training(T0);

        assertThat(store().create(training).succeeded()).isTrue();

        assertThat(store().findById(training.id())).contains(training);
    }

    @Test
    void create_whenIdTaken_shouldFailWithAlreadyExistsAndKeepTheFirst() {
        var training = training(T0);
        store().create(training);

        var again = store().create(training.with(RemoteTraining.State.FAILED, List.of(), training.weights(), "late", T0.plusSeconds(1)));

        assertThat(again.reason()).isEqualTo(StoreFailure.Reason.ALREADY_EXISTS);
        assertThat(store().findById(training.id())).contains(training);
    }

    @Test
    void update_withRoundsAndTheEnd_shouldStoreReportsWeightsAndReason() {
        var training = training(T0);
        store().create(training);
        store().update(training.id(), t -> t.with(RemoteTraining.State.RUNNING, List.of(round(1)), List.of(0.1, 0.2, 0.3), null, T0.plusSeconds(1)));

        var stopped = store().update(training.id(), t -> t.with(RemoteTraining.State.STOPPED, List.of(round(1), round(2)),
                List.of(0.4, 0.5, 0.6), "round 2: 1 of 2 answered, quorum 2", T0.plusSeconds(2)));

        assertThat(stopped.succeeded()).isTrue();
        var stored = store().findById(training.id()).orElseThrow();
        assertThat(stored).isEqualTo(stopped.getContent());
        assertThat(stored.reports()).containsExactly(round(1), round(2));
        assertThat(stored.weights()).containsExactly(0.4, 0.5, 0.6);
        assertThat(stored.reason()).isEqualTo("round 2: 1 of 2 answered, quorum 2");
        assertThat(stored.currentRound()).isEqualTo(3);
    }

    @Test
    void update_whenEnded_orDroppingReports_orChangingWhatWasAsked_shouldFailAndLeaveIt() {
        var ended = training(T0);
        store().create(ended);
        store().update(ended.id(), t -> t.with(RemoteTraining.State.COMPLETED, List.of(round(1)), t.weights(), null, T0.plusSeconds(1)));
        var completed = store().findById(ended.id()).orElseThrow();
        var running = training(T0);
        store().create(running);
        store().update(running.id(), t -> t.with(RemoteTraining.State.RUNNING, List.of(round(1)), t.weights(), null, T0.plusSeconds(1)));
        var withRound = store().findById(running.id()).orElseThrow();

        assertThat(store().update(ended.id(), t -> t.with(RemoteTraining.State.FAILED, t.reports(), t.weights(), "late", T0.plusSeconds(2))).failed()).isTrue();
        assertThat(store().update(running.id(), t -> t.with(RemoteTraining.State.RUNNING, List.of(), t.weights(), null, T0.plusSeconds(2))).failed()).isTrue();
        assertThat(store().update(running.id(), t -> new RemoteTraining(t.id(), t.state(), 99, t.participants(), t.quorum(), t.roundDeadline(),
                t.reports(), t.weights(), t.reason(), t.createdAt(), t.updatedAt())).failed()).isTrue();
        assertThat(store().findById(ended.id())).contains(completed);
        assertThat(store().findById(running.id())).contains(withRound);
        assertThat(store().update("no-such-training", t -> t).reason()).isEqualTo(StoreFailure.Reason.NOT_FOUND);
    }

    @Test
    void findAllAndFindRunning_shouldListOldestFirst_runningOnlyThoseRunning() {
        var later = training(T0.plusSeconds(10));
        var earlier = training(T0.plusSeconds(5));
        var done = training(T0.plusSeconds(7));
        store().create(later);
        store().create(earlier);
        store().create(done);
        store().update(done.id(), t -> t.with(RemoteTraining.State.FAILED, t.reports(), t.weights(), "no holder answered", T0.plusSeconds(8)));

        assertThat(store().findAll().stream().map(RemoteTraining::id).toList()).containsSubsequence(earlier.id(), done.id(), later.id());
        var running = store().findRunning().stream().map(RemoteTraining::id).toList();
        assertThat(running).containsSubsequence(earlier.id(), later.id()).doesNotContain(done.id());
        assertThat(store().findRunning()).allSatisfy(t -> assertThat(t.state()).isEqualTo(RemoteTraining.State.RUNNING));
    }
}
