package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.SettableClock;
import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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

    @Nested
    class NoUnsignedTail {

        /** A scheduler that keeps what it is given to run, so a test decides when the tail timer fires. */
        private final class ManualTimer extends ScheduledThreadPoolExecutor {
            final List<Runnable> tasks = new ArrayList<>();
            final List<Long> delaysMillis = new ArrayList<>();

            ManualTimer() {
                super(1);
            }

            /** What is to run at once (reading the log into the Merkle tree) runs right away. */
            @Override
            public void execute(Runnable command) {
                command.run();
            }

            @Override
            public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                tasks.add(command);
                delaysMillis.add(unit.toMillis(delay));
                return null;
            }

            void fireAll() {
                var due = List.copyOf(tasks);
                tasks.clear();
                due.forEach(Runnable::run);
            }
        }

        private final ManualTimer timer = new ManualTimer();

        @AfterEach
        void stopTimer() {
            timer.shutdownNow();
        }

        private CheckpointingDecisionRecorder recorder(ScheduledExecutorService tailTimer, Duration within) {
            return new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(newKey("k"), clock),
                    new CheckpointSchedule(1000, Duration.ofHours(1), within), clock, tailTimer);
        }

        @Test
        void append_whenTheFirstSinceTheLastCheckpoint_shouldStartOneTimerOfTheBound() {
            var recorder = recorder(timer, Duration.ofSeconds(2));

            recorder.record(entry(0));
            recorder.record(entry(1));

            assertThat(timer.delaysMillis).containsExactly(2000L);
            assertThat(checkpoints.all()).isEmpty();

            timer.fireAll();

            assertThat(checkpoints.all()).extracting(Checkpoint::sequence).containsExactly(2L);
            assertThat(checkpoints.latest().orElseThrow().headHash()).isEqualTo(store.read(2).getContent().hash());
        }

        @Test
        void quietLog_shouldStartNoTimerAndSignNothing() {
            var recorder = recorder(timer, Duration.ofSeconds(2));
            recorder.record(entry(0));
            timer.fireAll();

            assertThat(timer.tasks).isEmpty();
            assertThat(checkpoints.all()).hasSize(1);
        }

        @Test
        void tailTimer_whenSigningFails_shouldTryAgain() {
            var failures = new int[]{1};
            var flaky = new DelegatingCheckpoints(checkpoints) {
                @Override
                public void save(Checkpoint checkpoint) {
                    if (failures[0]-- > 0) {
                        throw new EdcPersistenceException("checkpoint disk full");
                    }
                    super.save(checkpoint);
                }
            };
            var recorder = new CheckpointingDecisionRecorder(store, flaky, new CheckpointSigner(newKey("k"), clock),
                    new CheckpointSchedule(1000, Duration.ofHours(1), Duration.ofSeconds(2)), clock, timer);
            recorder.record(entry(0));

            timer.fireAll();
            assertThat(checkpoints.all()).isEmpty();
            assertThat(timer.tasks).hasSize(1);

            timer.fireAll();
            assertThat(checkpoints.all()).extracting(Checkpoint::sequence).containsExactly(1L);
        }

        @Test
        void recorder_whenOpenedOnALogWithAnUnsignedTail_shouldCoverIt() {
            recorder(null, Duration.ofSeconds(2)).record(entry(0));

            recorder(timer, Duration.ofSeconds(2));
            timer.fireAll();

            assertThat(checkpoints.all()).extracting(Checkpoint::sequence).containsExactly(1L);
        }

        @Test
        void append_withARealTimer_shouldBeCoveredByACheckpointWithinTheBound() throws InterruptedException {
            var realTimer = Executors.newSingleThreadScheduledExecutor();
            try {
                var recorder = recorder(realTimer, Duration.ofMillis(200));

                var stored = recorder.record(entry(0)).getContent();

                awaitCheckpointAt(stored.sequence());
                assertThat(checkpoints.latest().orElseThrow().headHash()).isEqualTo(stored.hash());

                var next = recorder.record(entry(1)).getContent();
                awaitCheckpointAt(next.sequence());
            } finally {
                realTimer.shutdownNow();
            }
        }

        @Test
        void checkpointNow_atShutdown_shouldSignTheHeadSoThatAnEditIsFoundOffline() throws IOException {
            var key = newKey("k");
            var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(key, clock),
                    new CheckpointSchedule(1000, Duration.ofHours(1)), clock);
            for (int i = 0; i < 3; i++) {
                recorder.record(entry(i));
            }

            assertThat(recorder.checkpointNow()).map(Checkpoint::sequence).contains(3L);
            assertThat(recorder.checkpointNow()).isEmpty();
            store.close();
            checkpoints.close();

            // the operator re-chains the last entry after turning it into a PERMIT: the chain alone cannot tell
            var lines = new ArrayList<>(Files.readAllLines(directory.resolve("decisions.jsonl")));
            var last = DecisionJson.stored(lines.get(2));
            var forged = DecisionEntry.builder().time(last.entry().time()).scope(last.entry().scope())
                    .counterpartyId(last.entry().counterpartyId()).outcome(DecisionOutcome.PERMIT).reasons(List.of()).build();
            lines.set(2, DecisionJson.storedLine(new StoredDecision(3, last.previousHash(), HashChain.hash(last.previousHash(), 3, forged), forged)));
            Files.write(directory.resolve("decisions.jsonl"), lines);
            var publicKey = directory.resolve("key.jwk.json");
            Files.writeString(publicKey, key.toPublicJWK().toJSONString());
            var out = new ByteArrayOutputStream();

            var code = OfflineVerifier.run(new String[]{"--log", directory.resolve("decisions.jsonl").toString(), "--checkpoints",
                    directory.resolve("checkpoints.jsonl").toString(), "--public-key", publicKey.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

            assertThat(code).isEqualTo(OfflineVerifier.BROKEN);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("position 3").contains("CHECKPOINT_NOT_IN_CHAIN");
            // reopened for @AfterEach
            open();
        }

        private void awaitCheckpointAt(long sequence) throws InterruptedException {
            var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (checkpoints.latest().map(Checkpoint::sequence).orElse(0L) < sequence) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no checkpoint covers entry " + sequence + " after 30 s; checkpoints: " + checkpoints.all());
                }
                Thread.sleep(20);
            }
        }
    }

    /** A checkpoint store passing everything through, for overriding one method. */
    private static class DelegatingCheckpoints implements CheckpointStore {
        private final CheckpointStore delegate;

        DelegatingCheckpoints(CheckpointStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void save(Checkpoint checkpoint) {
            delegate.save(checkpoint);
        }

        @Override
        public List<Checkpoint> all() {
            return delegate.all();
        }

        @Override
        public Optional<Checkpoint> latest() {
            return delegate.latest();
        }

        @Override
        public void saveKey(CheckpointKey key) {
            delegate.saveKey(key);
        }

        @Override
        public List<CheckpointKey> keys() {
            return delegate.keys();
        }
    }

    @Test
    void schedule_whenNotPositive_shouldRefuse() {
        assertThatThrownBy(() -> new CheckpointSchedule(0, Duration.ofSeconds(1))).hasMessageContaining("everyEntries");
        assertThatThrownBy(() -> new CheckpointSchedule(1, Duration.ZERO)).hasMessageContaining("every");
        assertThatThrownBy(() -> new CheckpointSchedule(1, Duration.ofSeconds(1), Duration.ZERO)).hasMessageContaining("within");
    }

    @Test
    void signer_whenTheKeyHasNoPrivatePart_shouldRefuse() {
        assertThatThrownBy(() -> new CheckpointSigner(newKey("k").toPublicJWK(), clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
