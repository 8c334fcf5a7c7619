package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.SettableClock;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.nio.file.Path;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.START;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionRecorderTest {

    private static final Monitor MONITOR = new Monitor() { };

    @TempDir
    Path directory;
    private final SettableClock clock = new SettableClock(START);
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;

    @BeforeEach
    void open() {
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), MONITOR);
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), MONITOR);
    }

    @AfterEach
    void close() {
        store.close();
        checkpoints.close();
    }

    private DecisionRecorder recorder(int everyEntries, Duration every) {
        return new DecisionRecorder(store, checkpoints, new CheckpointSigner(newKey("k"), clock), new CheckpointSchedule(everyEntries, every), clock);
    }

    @Nested
    class ByCount {

        @Test
        void record_whenNEntriesSinceTheLastCheckpoint_shouldSignTheHead() {
            var recorder = recorder(3, Duration.ofHours(1));

            for (int i = 0; i < 7; i++) {
                recorder.record(entry(i));
            }

            assertThat(checkpoints.all()).extracting(Checkpoint::sequence).containsExactly(3L, 6L);
            assertThat(checkpoints.all().get(1).headHash()).isEqualTo(store.read(6).getContent().hash());
        }

        @Test
        void recorder_whenReopened_shouldCountFromTheLastSavedCheckpoint() {
            var first = recorder(3, Duration.ofHours(1));
            for (int i = 0; i < 4; i++) {
                first.record(entry(i));
            }

            var second = recorder(3, Duration.ofHours(1));
            second.record(entry(4));
            second.record(entry(5));

            assertThat(checkpoints.all()).extracting(Checkpoint::sequence).containsExactly(3L, 6L);
        }
    }

    @Nested
    class ByTime {

        @Test
        void checkpointIfDue_whenTheIntervalPassedAndTheChainGrew_shouldSign() {
            var recorder = recorder(1000, Duration.ofSeconds(30));
            recorder.record(entry(0));
            assertThat(checkpoints.all()).isEmpty();

            clock.advance(Duration.ofSeconds(30));

            assertThat(recorder.checkpointIfDue()).map(Checkpoint::sequence).contains(1L);
            assertThat(checkpoints.latest()).map(Checkpoint::time).contains(START.plusSeconds(30));
        }

        @Test
        void checkpointIfDue_whenNothingWasAppended_shouldNotSign() {
            var recorder = recorder(1000, Duration.ofSeconds(30));
            recorder.record(entry(0));
            clock.advance(Duration.ofSeconds(30));
            recorder.checkpointIfDue();

            clock.advance(Duration.ofMinutes(5));

            assertThat(recorder.checkpointIfDue()).isEmpty();
            assertThat(checkpoints.all()).hasSize(1);
        }

        @Test
        void checkpointIfDue_whenTheIntervalHasNotPassed_shouldNotSign() {
            var recorder = recorder(1000, Duration.ofSeconds(30));
            recorder.record(entry(0));

            clock.advance(Duration.ofSeconds(29));

            assertThat(recorder.checkpointIfDue()).isEmpty();
        }
    }

    @Test
    void schedule_whenNotPositive_shouldRefuse() {
        assertThatThrownBy(() -> new CheckpointSchedule(0, Duration.ofSeconds(1))).hasMessageContaining("everyEntries");
        assertThatThrownBy(() -> new CheckpointSchedule(1, Duration.ZERO)).hasMessageContaining("every");
    }

    @Test
    void signer_whenTheKeyHasNoPrivatePart_shouldRefuse() {
        assertThatThrownBy(() -> new CheckpointSigner(newKey("k").toPublicJWK(), clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
