package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.SettableClock;
import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.START;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.computeDecision;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.sha;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointingDecisionRecorderTest {

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

    private CheckpointingDecisionRecorder recorder(int everyEntries, Duration every) {
        return new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(newKey("k"), clock), new CheckpointSchedule(everyEntries, every), clock);
    }

    @Nested
    class AsTheDecisionRecorderService {

        @Test
        void record_shouldAppendTheEntryWithItsDigestsAsTheNewHead() {
            DecisionRecorder recorder = recorder(1000, Duration.ofHours(1));
            recorder.record(entry(0));

            var result = recorder.record(computeDecision(1, DecisionScope.COMPUTE_RESULT, sha('1'), sha('2')));

            assertThat(result.succeeded()).isTrue();
            assertThat(result.getContent().sequence()).isEqualTo(2);
            assertThat(store.head().hash()).isEqualTo(result.getContent().hash());
            assertThat(store.read(2).getContent().entry().digests()).containsEntry("result", sha('2'));
            assertThat(ChainVerifier.verify(store).intact()).isTrue();
        }

        @Test
        void record_whenTheStoreFails_shouldBeAFailureThatSaysSo() {
            var failing = new CheckpointingDecisionRecorder(new FailingStore(store), checkpoints,
                    new CheckpointSigner(newKey("k"), clock), new CheckpointSchedule(1, Duration.ofHours(1)), clock);

            var result = failing.record(entry(0));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains(DecisionRecorder.NOT_RECORDED).contains("disk full");
            assertThat(store.head().sequence()).isZero();
        }

        @Test
        void record_whenOnlyTheCheckpointFails_shouldKeepTheEntryAndSucceed() {
            var brokenCheckpoints = new CheckpointStore() {
                @Override
                public void save(Checkpoint checkpoint) {
                    throw new EdcPersistenceException("checkpoint table gone");
                }

                @Override
                public List<Checkpoint> all() {
                    return List.of();
                }

                @Override
                public Optional<Checkpoint> latest() {
                    return Optional.empty();
                }

                @Override
                public void saveKey(CheckpointKey key) {
                    throw new EdcPersistenceException("checkpoint table gone");
                }

                @Override
                public List<CheckpointKey> keys() {
                    return List.of();
                }
            };
            var recorder = new CheckpointingDecisionRecorder(store, brokenCheckpoints, new CheckpointSigner(newKey("k"), clock),
                    new CheckpointSchedule(1, Duration.ofHours(1)), clock);

            var result = recorder.record(entry(0));

            assertThat(result.succeeded()).isTrue();
            assertThat(store.head().sequence()).isEqualTo(1);
            assertThat(recorder.lastCheckpointFailure()).map(Throwable::getMessage).contains("checkpoint table gone");
        }
    }

    /** A store whose appends fail as a full disk would; reads pass through. */
    private record FailingStore(DecisionLogStore delegate) implements DecisionLogStore {
        @Override
        public StoredDecision append(DecisionEntry entry) {
            throw new EdcPersistenceException("disk full");
        }

        @Override
        public StoreResult<StoredDecision> read(long position) {
            return delegate.read(position);
        }

        @Override
        public ChainHead head() {
            return delegate.head();
        }

        @Override
        public List<StoredDecision> query(DecisionQuery query) {
            return delegate.query(query);
        }

        @Override
        public List<StoredDecision> readRange(long fromPosition, int max) {
            return delegate.readRange(fromPosition, max);
        }
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
