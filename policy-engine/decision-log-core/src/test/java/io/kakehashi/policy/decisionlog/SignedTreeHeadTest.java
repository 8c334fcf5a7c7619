package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints carry the signed Merkle tree head of the entries up to them: an auditor checks one entry with an
 * inclusion proof, and that the log only grew between two checkpoints with a consistency proof, against heads the
 * connector signed; a checkpoint whose tree head is not the log's is found by the verifier.
 */
class SignedTreeHeadTest {

    private static final Monitor MONITOR = new Monitor() { };
    private static final com.nimbusds.jose.jwk.ECKey KEY = newKey("connector-key");

    @TempDir
    Path directory;
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;
    private CheckpointingDecisionRecorder recorder;

    @BeforeEach
    void open() {
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), MONITOR);
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), MONITOR);
        recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(KEY, Clock.systemUTC()),
                new CheckpointSchedule(5, Duration.ofHours(1)), Clock.systemUTC());
        for (int i = 0; i < 13; i++) {
            recorder.record(entry(i));
        }
    }

    @AfterEach
    void close() {
        store.close();
        checkpoints.close();
    }

    @Test
    void checkpoints_shouldSignTheTreeHeadOfTheEntriesUpToThem_andVerify() {
        assertThat(checkpoints.all()).extracting(Checkpoint::sequence).containsExactly(5L, 10L);
        var reference = new MerkleTree();
        store.readRange(1, 13).forEach(stored -> reference.appendLeafHash(MerkleTree.leafHash(MerkleTree.fromHex(stored.hash()))));
        for (var checkpoint : checkpoints.all()) {
            assertThat(checkpoint.treeRoot()).isEqualTo(MerkleTree.toHex(reference.root(checkpoint.sequence())));
            // the tree head is in the signed payload, not only in the readable copy
            assertThat(DecisionJson.treeRootOf(checkpoint.jws())).isEqualTo(checkpoint.treeRoot());
        }
        assertThat(ChainVerifier.verify(store, checkpoints.all(), KEY.toPublicJWK()).intact()).isTrue();
    }

    @Test
    void oneEntry_shouldBeProvenInTheSignedTreeHead_andAForgedProofRefused() {
        var head = checkpoints.latest().orElseThrow();
        var tree = new DecisionLogTree(store).upTo(head.sequence());
        var entry = store.read(7).getContent();
        // what the auditor does: the entry's chain hash from the entry, its leaf hash, the proof, the signed head
        var recomputed = HashChain.hash(entry.previousHash(), entry.sequence(), entry.entry());
        var leaf = MerkleTree.leafHash(MerkleTree.fromHex(recomputed));
        var proof = tree.inclusionProof(6, head.sequence());

        assertThat(MerkleTree.verifyInclusion(6, head.sequence(), leaf, proof, MerkleTree.fromHex(head.treeRoot()))).isTrue();
        assertThat(proof).hasSizeLessThanOrEqualTo(4);
        // the entry turned into something else, or claimed at another position
        var other = MerkleTree.leafHash(MerkleTree.fromHex(store.read(8).getContent().hash()));
        assertThat(MerkleTree.verifyInclusion(6, head.sequence(), other, proof, MerkleTree.fromHex(head.treeRoot()))).isFalse();
        assertThat(MerkleTree.verifyInclusion(7, head.sequence(), leaf, proof, MerkleTree.fromHex(head.treeRoot()))).isFalse();
    }

    @Test
    void logThatOnlyGrew_shouldBeProvenBetweenTwoCheckpoints() {
        var first = checkpoints.all().get(0);
        var second = checkpoints.all().get(1);
        var tree = new DecisionLogTree(store).upTo(second.sequence());

        var proof = tree.consistencyProof(first.sequence(), second.sequence());

        assertThat(MerkleTree.verifyConsistency(first.sequence(), second.sequence(), MerkleTree.fromHex(first.treeRoot()),
                MerkleTree.fromHex(second.treeRoot()), proof)).isTrue();
    }

    @Test
    void checkpoint_whoseSignedTreeHeadIsNotTheLogs_shouldBeFoundAtItsPosition() {
        var signer = new CheckpointSigner(KEY, Clock.systemUTC());
        var head = store.read(12).getContent();
        var forged = signer.sign(new ChainHead(12, head.hash()), "ab".repeat(32));

        var result = ChainVerifier.verify(store, java.util.List.of(forged), KEY.toPublicJWK());

        assertThat(result.intact()).isFalse();
        assertThat(result.position()).isEqualTo(12);
        assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_NOT_IN_CHAIN);
        assertThat(result.reason()).contains("Merkle tree head");
    }

    @Test
    void checkpointLine_shouldKeepTheTreeHead_andReadCheckpointsWithoutOne() {
        var checkpoint = checkpoints.latest().orElseThrow();
        assertThat(DecisionJson.checkpoint(DecisionJson.checkpointLine(checkpoint))).isEqualTo(checkpoint);

        var old = new CheckpointSigner(KEY, Clock.systemUTC()).sign(new ChainHead(13, store.head().hash()));
        assertThat(old.treeRoot()).isNull();
        assertThat(DecisionJson.checkpointLine(old)).doesNotContain("treeRoot");
        assertThat(ChainVerifier.verify(store, java.util.List.of(old), KEY.toPublicJWK()).intact()).isTrue();
    }

    @Test
    void treeFromLines_shouldTakeEachHashFromItsLine_andReadALineOfAnotherFormAsAnEntry() throws Exception {
        var stored = store.read(3).getContent();
        var line = DecisionJson.storedLine(stored);
        assertThat(DecisionLogTree.hashOfLine(line, 3)).isEqualTo(stored.hash());
        assertThat(DecisionLogTree.hashOfLine(line, 4)).isNull();
        var reordered = "{\"sequence\":3,\"hash\":\"" + stored.hash() + "\",\"previousHash\":\"" + stored.previousHash() + "\",\"entry\":"
                + DecisionJson.canonicalEntry(stored.entry()) + "}";
        assertThat(DecisionLogTree.hashOfLine(reordered, 3)).isNull();

        var lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(directory.resolve("decisions.jsonl")));
        lines.set(2, reordered);
        var copy = directory.resolve("copy.jsonl");
        java.nio.file.Files.write(copy, lines);
        try (var log = FileDecisionLogStore.openReadOnly(copy)) {
            assertThat(new DecisionLogTree(log).root(13)).isEqualTo(new DecisionLogTree(store).root(13));
        }
    }
}
