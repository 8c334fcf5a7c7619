package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory.Status;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key history as a connector builds it across restarts and rotations (what {@code PolicyDecisionLogExtension}
 * does at each start), and as an auditor checks it offline.
 */
class CheckpointKeyHistoryTest {

    private static final Monitor MONITOR = new Monitor() {
    };

    @TempDir
    Path directory;
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;
    private int entries;

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

    private void restart() {
        close();
        open();
    }

    /** one run of the connector: takes its key into the history, records three decisions, signs a checkpoint */
    private Optional<CheckpointKey> run(ECKey key, Map<String, ECKey> stillHeld) {
        var taken = CheckpointKeyHistory.take(checkpoints, key, kid -> Optional.ofNullable(stillHeld.get(kid)), Clock.systemUTC().instant());
        var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(key, Clock.systemUTC()),
                new CheckpointSchedule(3, Duration.ofHours(1)), Clock.systemUTC());
        for (var i = 0; i < 3; i++) {
            recorder.record(entry(entries++));
        }
        return taken;
    }

    @Nested
    class Take {

        @Test
        void take_acrossTwoRotations_shouldKeepEveryKeyAndVerifyEveryCheckpoint() {
            var first = newKey("did:web:maker.example#key-1");
            var second = newKey("did:web:maker.example#key-2");
            var third = newKey("did:web:maker.example#key-3");

            assertThat(run(first, Map.of())).isPresent();
            restart();
            assertThat(run(first, Map.of(first.getKeyID(), first))).as("a restart with the same key adds nothing").isEmpty();
            restart();
            // rotated: the old key is still in the ring (grace period)
            assertThat(run(second, Map.of(first.getKeyID(), first, second.getKeyID(), second))).hasValueSatisfying(record -> assertThat(record.endorsement()).isNotNull());
            restart();
            // rotated again, after the vault entry of the second key was removed
            assertThat(run(third, Map.of())).hasValueSatisfying(record -> assertThat(record.endorsement()).isNull());
            restart();

            assertThat(CheckpointKeyHistory.read(checkpoints.keys())).extracting(CheckpointKeyHistory.Entry::status)
                    .containsExactly(Status.FIRST, Status.ENDORSED, Status.UNENDORSED);
            var result = ChainVerifier.verifyWithHistory(store, checkpoints.all(), checkpoints.keys());
            assertThat(result.intact()).as(result.toString()).isTrue();
            assertThat(result.checkpointsChecked()).isEqualTo(4);
            var uses = CheckpointKeyHistory.uses(checkpoints.all());
            assertThat(uses.get(first.getKeyID()).first().sequence()).isEqualTo(3);
            assertThat(uses.get(first.getKeyID()).last().sequence()).isEqualTo(6);
            assertThat(uses.get(third.getKeyID()).checkpoints()).isEqualTo(1);
        }

        @Test
        void take_whenTheHeldKeyIsNotTheLastOfTheHistory_shouldNotHandOver() {
            run(newKey("key-1"), Map.of());

            // the identity answers with some other key under the old id: no hand-over is signed with it
            var record = CheckpointKeyHistory.take(checkpoints, newKey("key-2"), kid -> Optional.of(newKey(kid)), Clock.systemUTC().instant());

            assertThat(record).hasValueSatisfying(r -> assertThat(r.endorsement()).isNull());
        }

        @Test
        void withKeyId_whenTheKeyHasNone_shouldNameItByItsThumbprint() throws Exception {
            var key = newKey(null);

            assertThat(CheckpointKeyHistory.withKeyId(key).getKeyID()).isEqualTo(key.computeThumbprint().toString());
            assertThat(CheckpointKeyHistory.withKeyId(newKey("k")).getKeyID()).isEqualTo("k");
        }

        @Test
        void read_whenARecordIsNotAP256PublicKey_shouldMarkItInvalid() {
            var privateKey = newKey("key-1");
            var history = CheckpointKeyHistory.read(java.util.List.of(
                    new CheckpointKey("key-1", privateKey.toJSONString(), Clock.systemUTC().instant(), null)));

            assertThat(history.get(0).status()).isEqualTo(Status.INVALID);
            assertThat(history.get(0).problem()).contains("not an EC P-256 public key");
        }
    }

    @Nested
    class Offline {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private int verify(String... args) {
            var stream = new PrintStream(out, true, StandardCharsets.UTF_8);
            return OfflineVerifier.run(args, stream, stream);
        }

        private Path export() throws Exception {
            var keys = directory.resolve("export-keys.jsonl");
            try (Writer writer = Files.newBufferedWriter(keys)) {
                for (var record : checkpoints.keys()) {
                    writer.write(DecisionJson.keyLine(record) + "\n");
                }
            }
            return keys;
        }

        @Test
        void run_withTheKeyHistory_shouldVerifyAcrossRotationsAndNameUnendorsedKeys() throws Exception {
            var first = newKey("key-1");
            run(first, Map.of());
            var second = newKey("key-2");
            run(second, Map.of("key-1", first));
            run(newKey("key-3"), Map.of());
            var firstKey = directory.resolve("first.jwk.json");
            Files.writeString(firstKey, first.toPublicJWK().toJSONString());

            var code = verify("--log", directory.resolve("decisions.jsonl").toString(), "--checkpoints", directory.resolve("checkpoints.jsonl").toString(),
                    "--keys", export().toString(), "--public-key", firstKey.toString());

            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("intact: 9 entries, 3 checkpoints").contains("key 'key-3' was taken without a hand-over");
        }

        @Test
        void run_whenTheHistoryStartsWithAnotherKeyThanTheTrustedOne_shouldExitOne() throws Exception {
            run(newKey("key-1"), Map.of());
            var other = directory.resolve("other.jwk.json");
            Files.writeString(other, newKey("key-1").toPublicJWK().toJSONString());

            var code = verify("--log", directory.resolve("decisions.jsonl").toString(), "--checkpoints", directory.resolve("checkpoints.jsonl").toString(),
                    "--keys", export().toString(), "--public-key", other.toString());

            assertThat(code).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("first key is not the key given");
        }
    }
}
