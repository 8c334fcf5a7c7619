package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.monitor.Monitor;
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
import java.time.Clock;
import java.util.ArrayList;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;

class OfflineVerifierTest {

    private static final ECKey KEY = newKey("connector-key");

    @TempDir
    Path directory;
    private Path log;
    private Path checkpoints;
    private Path publicKey;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /**
     * A connector's log of 25 entries with checkpoints every 10, exported the way an auditor receives it.
     */
    @BeforeEach
    void export() throws IOException {
        var monitor = new Monitor() { };
        try (var store = FileDecisionLogStore.open(directory.resolve("store.jsonl"), monitor);
             var checkpointStore = FileCheckpointStore.open(directory.resolve("store-checkpoints.jsonl"), monitor)) {
            var recorder = new CheckpointingDecisionRecorder(store, checkpointStore, new CheckpointSigner(KEY, Clock.systemUTC()),
                    new CheckpointSchedule(10, java.time.Duration.ofHours(1)), Clock.systemUTC());
            for (int i = 0; i < 25; i++) {
                recorder.record(entry(i));
            }
            log = directory.resolve("export.jsonl");
            checkpoints = directory.resolve("export-checkpoints.jsonl");
            try (var writer = Files.newBufferedWriter(log)) {
                assertThat(DecisionLogExporter.exportEntries(store, 1, Long.MAX_VALUE, writer)).isEqualTo(25);
            }
            try (var writer = Files.newBufferedWriter(checkpoints)) {
                DecisionLogExporter.exportCheckpoints(checkpointStore.all(), writer);
            }
        }
        publicKey = directory.resolve("connector.jwk.json");
        Files.writeString(publicKey, KEY.toPublicJWK().toJSONString());
    }

    private int run(String... args) {
        return OfflineVerifier.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void export_shouldBeByteForByteTheFileStoresFormat() throws IOException {
        assertThat(Files.readString(log)).isEqualTo(Files.readString(directory.resolve("store.jsonl")));
        assertThat(Files.readString(checkpoints)).isEqualTo(Files.readString(directory.resolve("store-checkpoints.jsonl")));
    }

    @Nested
    class Intact {

        @Test
        void run_whenTheExportIsIntact_shouldExitZero() {
            var code = run("--log", log.toString(), "--checkpoints", checkpoints.toString(), "--public-key", publicKey.toString());

            assertThat(code).as(output()).isZero();
            assertThat(output()).contains("intact: 25 entries, 2 checkpoints");
        }

        @Test
        void run_withoutCheckpoints_shouldVerifyTheChainAlone() {
            assertThat(run("--log", log.toString())).isZero();
        }

        @Test
        void run_onTheStoresOwnFiles_shouldVerifyThemToo() {
            var code = run("--log", directory.resolve("store.jsonl").toString(), "--checkpoints", directory.resolve("store-checkpoints.jsonl").toString(),
                    "--public-key", publicKey.toString());

            assertThat(code).isZero();
        }
    }

    @Nested
    class Broken {

        @Test
        void run_whenAnEntryWasEdited_shouldExitOneWithThePosition() throws IOException {
            var lines = new ArrayList<>(Files.readAllLines(log));
            lines.set(12, lines.get(12).replace("\"outcome\":\"PERMIT\"", "\"outcome\":\"DENY\""));
            Files.write(log, lines);

            var code = run("--log", log.toString(), "--checkpoints", checkpoints.toString(), "--public-key", publicKey.toString());

            assertThat(code).isEqualTo(1);
            assertThat(output()).contains("broken at position 13: HASH_MISMATCH");
        }

        @Test
        void run_whenTheTailWasCutOffBeforeACheckpoint_shouldExitOne() throws IOException {
            var lines = Files.readAllLines(log);
            Files.write(log, lines.subList(0, 15));

            var code = run("--log", log.toString(), "--checkpoints", checkpoints.toString(), "--public-key", publicKey.toString());

            assertThat(code).isEqualTo(1);
            assertThat(output()).contains("broken at position 20: CHECKPOINT_NOT_IN_CHAIN");
        }

        @Test
        void run_whenCheckedWithAnotherKey_shouldExitOne() throws IOException {
            Files.writeString(publicKey, newKey("other").toPublicJWK().toJSONString());

            var code = run("--log", log.toString(), "--checkpoints", checkpoints.toString(), "--public-key", publicKey.toString());

            assertThat(code).isEqualTo(1);
            assertThat(output()).contains("CHECKPOINT_SIGNATURE_INVALID");
        }
    }

    @Nested
    class Unusable {

        @Test
        void run_withoutLog_shouldExitTwo() {
            assertThat(run()).isEqualTo(2);
            assertThat(output()).contains("--log is required");
        }

        @Test
        void run_withCheckpointsButNoKey_shouldExitTwo() {
            assertThat(run("--log", log.toString(), "--checkpoints", checkpoints.toString())).isEqualTo(2);
        }

        @Test
        void run_whenTheLogFileIsMissing_shouldExitTwo() {
            assertThat(run("--log", directory.resolve("absent.jsonl").toString())).isEqualTo(2);
            assertThat(output()).contains("cannot verify");
        }
    }
}
