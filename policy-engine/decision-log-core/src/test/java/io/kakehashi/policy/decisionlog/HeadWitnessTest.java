package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Witnessed log heads (issue 21, item 2): a witness countersigns a peer's signed tree head when it extends the one it
 * witnessed before, and keeps the evidence instead when it does not — a log rewritten and re-signed with the
 * operator's own key is caught from one witnessed head, which the chain and checkpoint verification alone cannot do.
 */
class HeadWitnessTest {

    private static final Monitor MONITOR = new Monitor() { };
    private static final ECKey PEER_KEY = newKey("did:web:maker.example#k1");
    private static final ECKey WITNESS_KEY = newKey("did:web:vendor.example#k1");
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path directory;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (var closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void verify_whenTheHeadIsSignedByTheKey_shouldGiveItsSizeAndRoot_andRefuseATamperedOne() {
        var log = log("a", 10, PEER_KEY, null);
        var jws = log.signedTreeHead();
        var head = SignedTreeHeads.verify(jws, PEER_KEY.toPublicJWK());
        assertThat(head.sequence()).isEqualTo(10);
        assertThat(head.treeRoot()).isEqualTo(new DecisionLogTree(log.store).root(10));

        var parts = jws.split("\\.");
        var payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"sequence\":10", "\"sequence\":9");
        var tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> SignedTreeHeads.verify(tampered, PEER_KEY.toPublicJWK())).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> SignedTreeHeads.verify(jws, newKey("other").toPublicJWK())).hasMessageContaining("does not verify");

        var outcome = new HeadWitness(WITNESS_KEY).witness("maker", log.serving(tampered), Optional.empty(), NOW);
        assertThat(outcome.record()).isNull();
        assertThat(outcome.problem()).contains("does not verify");
    }

    @Test
    void witness_whenTheLogGrew_shouldCountersignTheNewHead() {
        var log = log("a", 10, PEER_KEY, null);
        var witness = new HeadWitness(WITNESS_KEY);
        var first = witness.witness("maker", log.peer(), Optional.empty(), NOW);
        assertThat(first.countersigned()).isTrue();
        assertThat(first.record().treeSize()).isEqualTo(10);

        log.grow(10, 17);
        var second = witness.witness("maker", log.peer(), Optional.of(first.record()), NOW.plusSeconds(60));
        assertThat(second.countersigned()).isTrue();
        assertThat(second.record().treeSize()).isEqualTo(15);
        var cosignature = Cosignatures.verify(second.record().cosignature());
        assertThat(cosignature.treeSize()).isEqualTo(15);
        assertThat(cosignature.rootHash()).isEqualTo(new DecisionLogTree(log.store).root(15));
        assertThat(cosignature.logKey()).isEqualTo(SignedTreeHeads.thumbprint(PEER_KEY));
        assertThat(cosignature.witnessKid()).isEqualTo(WITNESS_KEY.getKeyID());

        // nothing new: nothing to keep
        assertThat(witness.witness("maker", log.peer(), Optional.of(second.record()), NOW.plusSeconds(120)).record()).isNull();
    }

    @Test
    void witness_whenTheLogWasRewrittenAndReSigned_shouldRefuse_andTheVerifierShouldCatchItFromTheWitnessedHead() {
        var original = log("original", 10, PEER_KEY, null);
        var witness = new HeadWitness(WITNESS_KEY);
        var witnessed = witness.witness("maker", original.peer(), Optional.empty(), NOW);
        assertThat(witnessed.countersigned()).isTrue();

        // the operator turns the DENY of entry 4 into a PERMIT and re-signs every checkpoint with its own key
        var rewritten = log("rewritten", 15, PEER_KEY, 3);
        assertThat(rewritten.store.read(4).getContent().entry().outcome()).isEqualTo(DecisionOutcome.PERMIT);
        assertThat(ChainVerifier.verifyWithHistory(rewritten.store, rewritten.checkpoints.all(), rewritten.checkpoints.keys()).intact())
                .as("chain and checkpoints alone cannot tell").isTrue();

        var refused = witness.witness("maker", rewritten.peer(), Optional.of(witnessed.record()), NOW.plusSeconds(60));
        assertThat(refused.countersigned()).isFalse();
        assertThat(refused.conflict()).isTrue();
        assertThat(refused.record().evidenceJws()).isEqualTo(witnessed.record().headJws());
        assertThat(refused.problem()).contains("does not extend");

        var check = WitnessedHeadVerifier.verify(rewritten.store, List.of(witnessed.record()), rewritten.checkpoints.keys());
        assertThat(check.result().intact()).isFalse();
        assertThat(check.result().problem()).isEqualTo(Problem.WITNESSED_HEAD_NOT_EXTENDED);
        assertThat(check.result().position()).isEqualTo(10);

        var honest = WitnessedHeadVerifier.verify(original.store, List.of(witnessed.record()), original.checkpoints.keys());
        assertThat(honest.result().intact()).isTrue();
        assertThat(honest.headsChecked()).isEqualTo(1);
        assertThat(honest.cosigned()).isEqualTo(1);
    }

    @Test
    void offlineVerifier_whenGivenTheWitnessedHeads_shouldCatchTheRewrittenLog() throws Exception {
        var original = log("original", 10, PEER_KEY, null);
        var witnessed = new HeadWitness(WITNESS_KEY).witness("maker", original.peer(), Optional.empty(), NOW).record();
        var rewritten = log("rewritten", 15, PEER_KEY, 3);
        var witnessFile = directory.resolve("witnessed-heads.jsonl");
        java.nio.file.Files.writeString(witnessFile, WitnessJson.line(witnessed) + "\n");

        assertThat(offline("rewritten", null)).as("without the witnessed head").isEqualTo(OfflineVerifier.INTACT);
        var out = new java.io.ByteArrayOutputStream();
        assertThat(offline("rewritten", witnessFile, out)).isEqualTo(OfflineVerifier.BROKEN);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("broken at position 10: WITNESSED_HEAD_NOT_EXTENDED");
        var intact = new java.io.ByteArrayOutputStream();
        assertThat(offline("original", witnessFile, intact)).isEqualTo(OfflineVerifier.INTACT);
        assertThat(intact.toString(StandardCharsets.UTF_8)).contains("1 witnessed heads (1 countersigned)");
    }

    private int offline(String name, Path witnessed) {
        return offline(name, witnessed, new java.io.ByteArrayOutputStream());
    }

    private int offline(String name, Path witnessed, java.io.ByteArrayOutputStream out) {
        var dir = directory.resolve(name);
        var args = new ArrayList<>(List.of("--log", dir.resolve("decisions.jsonl").toString(), "--checkpoints", dir.resolve("checkpoints.jsonl").toString(),
                "--keys", dir.resolve("checkpoint-keys.jsonl").toString()));
        if (witnessed != null) {
            args.addAll(List.of("--witnessed", witnessed.toString()));
        }
        return OfflineVerifier.run(args.toArray(String[]::new), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void verify_whenTwoSignedHeadsForOneSizeDiffer_shouldReportAFork() {
        var original = log("original", 10, PEER_KEY, null);
        var forked = log("forked", 10, PEER_KEY, 3);
        var witness = new HeadWitness(WITNESS_KEY);
        var first = witness.witness("maker", original.peer(), Optional.empty(), NOW);
        var second = witness.witness("maker", forked.peer(), Optional.of(first.record()), NOW.plusSeconds(60));
        assertThat(second.conflict()).isTrue();
        assertThat(second.problem()).contains("two signed tree heads for 10 entries");

        // the conflict record alone carries both heads
        var check = WitnessedHeadVerifier.verify(original.store, List.of(second.record()), original.checkpoints.keys());
        assertThat(check.result().problem()).isEqualTo(Problem.WITNESSED_HEAD_FORK);
        assertThat(check.result().position()).isEqualTo(10);
    }

    @Test
    void witness_whenThePeersLatestHeadIsSmallerThanTheWitnessedOne_shouldKeepItAsAConflict() {
        var log = log("a", 15, PEER_KEY, null);
        var witness = new HeadWitness(WITNESS_KEY);
        var witnessed = witness.witness("maker", log.peer(), Optional.empty(), NOW).record();
        assertThat(witnessed.treeSize()).isEqualTo(15);

        // checkpoints cut back to the one of 10 entries: the signed head went back
        var cut = witness.witness("maker", log.serving(log.checkpoints.all().get(1).jws()), Optional.of(witnessed), NOW.plusSeconds(60));
        assertThat(cut.conflict()).isTrue();
        assertThat(cut.problem()).contains("fewer than the 15 witnessed before");
        assertThat(cut.record().evidenceJws()).isEqualTo(witnessed.headJws());
        // both heads signed by the peer; the verifier, given the peer's intact log, finds it extends both
        assertThat(WitnessedHeadVerifier.verify(log.store, List.of(cut.record()), log.checkpoints.keys()).headsChecked()).isEqualTo(2);

        var rewritten = log("rewritten", 10, PEER_KEY, 3);
        var shrunk = witness.witness("maker", rewritten.peer(), Optional.of(witnessed), NOW.plusSeconds(120));
        assertThat(shrunk.conflict()).isTrue();
        assertThat(WitnessedHeadVerifier.verify(rewritten.store, List.of(shrunk.record()), rewritten.checkpoints.keys()).result().problem())
                .isEqualTo(Problem.WITNESSED_HEAD_NOT_EXTENDED);
    }

    @Test
    void verify_whenAHeadIsNotSignedByTheLogsKeys_shouldIgnoreIt() {
        var log = log("a", 10, PEER_KEY, null);
        var stranger = log("stranger", 10, newKey("did:web:stranger.example#k1"), 3);
        var record = new HeadWitness(WITNESS_KEY).witness("stranger", stranger.peer(), Optional.empty(), NOW).record();
        var check = WitnessedHeadVerifier.verify(log.store, List.of(record), log.checkpoints.keys());
        assertThat(check.result().intact()).isTrue();
        assertThat(check.headsChecked()).isZero();
        assertThat(check.ignored()).isEqualTo(1);
    }

    @Test
    void witness_whenThePeerSignsWithAnotherKeyNotHandedOver_shouldRefuse() {
        var log = log("a", 10, PEER_KEY, null);
        var witness = new HeadWitness(WITNESS_KEY);
        var first = witness.witness("maker", log.peer(), Optional.empty(), NOW);
        var replaced = log("replaced", 15, newKey("did:web:maker.example#k2"), null);
        var second = witness.witness("maker", replaced.peer(), Optional.of(first.record()), NOW.plusSeconds(60));
        assertThat(second.record()).isNull();
        assertThat(second.problem()).contains("not the key witnessed before");
    }

    @Test
    void store_shouldKeepRecordsAcrossAReopen_andKeepTheFirstOfTwoEqualOnes() {
        var log = log("a", 10, PEER_KEY, null);
        var record = new HeadWitness(WITNESS_KEY).witness("maker", log.peer(), Optional.empty(), NOW).record();
        try (var store = FileWitnessStore.open(directory.resolve("witness.jsonl"), MONITOR)) {
            store.save(record);
            store.save(record);
        }
        try (var store = FileWitnessStore.open(directory.resolve("witness.jsonl"), MONITOR)) {
            assertThat(store.all()).containsExactly(record);
        }
    }

    /**
     * A log of {@code entries} entries signed every 5, its key in its history; entry {@code permitInstead} (0-based),
     * if given, turned from what it was into a PERMIT before it was recorded.
     */
    private TestLog log(String name, int entries, ECKey key, Integer permitInstead) {
        var dir = directory.resolve(name);
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        var store = FileDecisionLogStore.open(dir.resolve("decisions.jsonl"), MONITOR);
        var checkpoints = FileCheckpointStore.open(dir.resolve("checkpoints.jsonl"), MONITOR);
        opened.add(store);
        opened.add(checkpoints);
        CheckpointKeyHistory.take(checkpoints, key, kid -> Optional.empty(), NOW);
        var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(key, Clock.systemUTC()),
                new CheckpointSchedule(5, Duration.ofHours(1)), Clock.systemUTC());
        var log = new TestLog(store, checkpoints, recorder, permitInstead);
        log.grow(0, entries);
        return log;
    }

    private record TestLog(FileDecisionLogStore store, FileCheckpointStore checkpoints, CheckpointingDecisionRecorder recorder, Integer permitInstead) {

        void grow(int from, int to) {
            for (int i = from; i < to; i++) {
                DecisionEntry entry = entry(i);
                if (permitInstead != null && permitInstead == i) {
                    entry = DecisionEntry.builder().time(entry.time()).scope(entry.scope()).counterpartyId(entry.counterpartyId())
                            .agreementId(entry.agreementId()).outcome(DecisionOutcome.PERMIT).reasons(List.of()).build();
                }
                assertThat(recorder.record(entry).succeeded()).isTrue();
            }
        }

        String signedTreeHead() {
            var all = checkpoints.all();
            return all.get(all.size() - 1).jws();
        }

        HeadWitness.Peer peer() {
            return serving(signedTreeHead());
        }

        HeadWitness.Peer serving(String head) {
            return new HeadWitness.Peer() {
                @Override
                public String signedTreeHead() {
                    return head;
                }

                @Override
                public List<CheckpointKey> keys() {
                    return checkpoints.keys();
                }

                @Override
                public List<byte[]> consistencyProof(long from, long to) {
                    return new DecisionLogTree(store).upTo(to).consistencyProof(from, to);
                }
            };
        }
    }
}
