package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.InMemoryRemoteTrainingStore;
import io.kakehashi.ai.spi.RemoteTraining;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** What a restart of the vendor's connector does to the trainings its store kept. */
class RemoteTrainingsRestartTest {

    private static final Instant T0 = Instant.parse("2026-11-23T07:00:00Z");

    private final InMemoryRemoteTrainingStore store = new InMemoryRemoteTrainingStore();

    /** The trainings of a connector that has just started over this store. */
    private RemoteTrainings started() {
        return new RemoteTrainings(null, store, Executors.newSingleThreadExecutor(), Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC),
                new ConsoleMonitor());
    }

    private static RemoteTraining.Round round(int number) {
        return new RemoteTraining.Round(number, List.of("jp-maker (a-1)", "de-operator (a-2)"), Map.of(), 200, 1000, 900, 1200,
                Map.of("jp-maker (a-1)", "job-" + number + "a", "de-operator (a-2)", "job-" + number + "b"));
    }

    @Test
    void failInterrupted_shouldMarkARunningTrainingFailedWithItsRound_andKeepItsReportsAndWeights() {
        var running = RemoteTraining.running("running", 5, List.of("jp-maker (a-1)", "de-operator (a-2)"), 2, "PT2M", List.of(0.0, 0.0), T0);
        store.create(running);
        store.update("running", t -> t.with(RemoteTraining.State.RUNNING, List.of(round(1), round(2)), List.of(0.3, -0.1), null, T0.plusSeconds(60)));
        var completed = RemoteTraining.running("completed", 1, List.of("jp-maker (a-1)"), 1, "PT2M", List.of(0.0, 0.0), T0);
        store.create(completed);
        store.update("completed", t -> t.with(RemoteTraining.State.COMPLETED, List.of(round(1)), List.of(0.5, 0.5), null, T0.plusSeconds(30)));
        var before = store.findById("completed").orElseThrow();

        var trainings = started();
        var marked = trainings.failInterrupted();

        assertThat(marked).isEqualTo(1);
        var shown = trainings.find("running").orElseThrow();
        assertThat(shown.state()).isEqualTo(RemoteTrainings.State.FAILED);
        assertThat(shown.reason()).isEqualTo("the connector restarted during round 3");
        assertThat(shown.reports()).hasSize(2);
        assertThat(shown.reports().get(1).jobs()).containsEntry("de-operator (a-2)", "job-2b");
        assertThat(shown.weights()).containsExactly(0.3, -0.1);
        assertThat(store.findById("completed")).contains(before);
        assertThat(trainings.list()).extracting(RemoteTrainings.Training::id).containsExactlyInAnyOrder("running", "completed");
        assertThat(started().failInterrupted()).isZero();
    }

    @Test
    void failInterrupted_whenNoRoundFinished_shouldNameTheFirst() {
        store.create(RemoteTraining.running("fresh", 3, List.of("jp-maker (a-1)"), 1, "PT2M", List.of(0.0, 0.0), T0));

        started().failInterrupted();

        assertThat(store.findById("fresh").orElseThrow().reason()).isEqualTo("the connector restarted during round 1");
    }
}
