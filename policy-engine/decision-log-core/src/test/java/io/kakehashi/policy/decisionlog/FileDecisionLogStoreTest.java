package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileDecisionLogStoreTest extends DecisionLogStoreTestBase {

    @TempDir
    Path directory;
    private final List<String> warnings = new ArrayList<>();
    private final Monitor monitor = new Monitor() {
        @Override
        public void warning(String message, Throwable... errors) {
            warnings.add(message);
        }
    };
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;

    @BeforeEach
    void open() {
        store = FileDecisionLogStore.open(logFile(), monitor);
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), monitor);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            checkpoints.close();
            store = null;
        }
    }

    @Override
    protected DecisionLogStore store() {
        return store;
    }

    @Override
    protected CheckpointStore checkpointStore() {
        return checkpoints;
    }

    @Override
    protected void reopen() {
        close();
        open();
    }

    @Override
    protected void tamperEditOutcome(long sequence) {
        editLines(lines -> lines.set((int) sequence - 1, lines.get((int) sequence - 1).replace("\"outcome\":\"DENY\"", "\"outcome\":\"PERMIT\"")));
    }

    @Override
    protected void tamperDelete(long sequence) {
        editLines(lines -> lines.remove((int) sequence - 1));
    }

    @Override
    protected void tamperSwapWithNext(long sequence) {
        editLines(lines -> lines.add((int) sequence, lines.remove((int) sequence - 1)));
    }

    @Override
    protected void tamperInsertBefore(long sequence, StoredDecision forged) {
        editLines(lines -> lines.add((int) sequence - 1, DecisionJson.storedLine(forged)));
    }

    @Override
    protected void tamperRenumber(long sequence, long newSequence) {
        editLines(lines -> lines.set((int) sequence - 1, lines.get((int) sequence - 1).replace("\"sequence\":" + sequence + "}", "\"sequence\":" + newSequence + "}")));
    }

    private Path logFile() {
        return directory.resolve("decisions.jsonl");
    }

    private void editLines(Consumer<List<String>> edit) {
        close();
        try {
            var lines = new ArrayList<>(Files.readAllLines(logFile(), StandardCharsets.UTF_8));
            edit.accept(lines);
            Files.write(logFile(), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        open();
    }

    @Nested
    class CrashRecovery {

        @Test
        void open_whenTheLastLineIsTorn_shouldCutOnlyItAndReport() throws IOException {
            var kept = List.of(store.append(entry(0)), store.append(entry(1)));
            close();
            var full = Files.size(logFile());
            Files.writeString(logFile(), "{\"entry\":{\"time\":\"2026-11-23T09:0", StandardOpenOption.APPEND);

            open();

            assertThat(Files.size(logFile())).isEqualTo(full);
            assertThat(store.readRange(1, 10)).isEqualTo(kept);
            assertThat(store.head().sequence()).isEqualTo(2);
            assertThat(warnings).singleElement().asString().contains("incomplete last line");
            assertThat(store.append(entry(2)).previousHash()).isEqualTo(kept.get(1).hash());
            assertThat(ChainVerifier.verify(store).intact()).isTrue();
        }

        @Test
        void open_whenTheFileIsIntact_shouldReportNothing() {
            store.append(entry(0));

            reopen();

            assertThat(warnings).isEmpty();
        }

        @Test
        void open_whenTheLastCompleteLineIsNotAnEntry_shouldRefuseToContinueTheChain() throws IOException {
            store.append(entry(0));
            close();
            Files.writeString(logFile(), "not json\n", StandardOpenOption.APPEND);

            assertThatThrownBy(() -> FileDecisionLogStore.open(logFile(), monitor))
                    .isInstanceOf(EdcPersistenceException.class).hasMessageContaining("position 2");
        }

        @Test
        void open_whenAnotherInstanceHoldsTheFile_shouldRefuse() {
            assertThatThrownBy(() -> FileDecisionLogStore.open(logFile(), monitor)).isInstanceOf(RuntimeException.class);
        }
    }

    @Nested
    class Corruption {

        @Test
        void verify_whenALineWasGivenAnExtraMember_shouldReportItAsMalformed() {
            for (int i = 0; i < 3; i++) {
                store.append(entry(i));
            }

            editLines(lines -> lines.set(1, lines.get(1).replace("{\"entry\":{", "{\"entry\":{\"note\":\"x\",")));
            var result = ChainVerifier.verify(store);

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(2);
            assertThat(result.reason()).contains("unknown member: note");
        }
    }

    /**
     * The checkpoint file answers its newest checkpoint and its duplicate check from what it read once and kept since,
     * not from every line: the same answers as reading the whole file.
     */
    @Nested
    class Checkpoints {

        @Test
        void latest_whenAnOlderCheckpointIsSavedAfterANewerOne_shouldStillAnswerTheNewer() {
            var newer = signer().sign(new ChainHead(5, "ff".repeat(32)));
            var older = signer().sign(new ChainHead(3, "ee".repeat(32)));

            checkpoints.save(newer);
            checkpoints.save(older);

            assertThat(checkpoints.latest()).contains(newer);
            assertThat(checkpoints.all()).extracting(Checkpoint::sequence).containsExactly(3L, 5L);
        }

        @Test
        void save_whenAnOlderCheckpointOfTheSameSequenceIsKept_shouldKeepTheFirst() {
            var older = signer().sign(new ChainHead(3, "ee".repeat(32)));
            var newer = signer().sign(new ChainHead(5, "ff".repeat(32)));
            checkpoints.save(older);
            checkpoints.save(newer);

            checkpoints.save(new Checkpoint(older.sequence(), older.headHash(), older.time().plusSeconds(1), older.jws()));

            assertThat(checkpoints.all()).containsExactly(older, newer);
        }

        @Test
        void latest_afterReopen_shouldAnswerTheNewestOfTheFile() {
            var newest = signer().sign(new ChainHead(4, "dd".repeat(32)));
            checkpoints.save(signer().sign(new ChainHead(2, "cc".repeat(32))));
            checkpoints.save(newest);

            reopen();

            assertThat(checkpoints.latest()).contains(newest);
        }

        @Test
        void latest_whenALineIsNotACheckpoint_shouldFailNamingIt() throws IOException {
            checkpoints.save(signer().sign(new ChainHead(2, "cc".repeat(32))));
            close();
            Files.writeString(directory.resolve("checkpoints.jsonl"), "{\"not\":\"a checkpoint\"}\n", StandardOpenOption.APPEND);
            open();

            assertThatThrownBy(() -> checkpoints.latest()).isInstanceOf(EdcPersistenceException.class).hasMessageContaining("line 2");
        }
    }
}
