package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore.Saved;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Receipts (docs/decisions/0039): signed by the issuer's checkpoint key, carrying the entry, its chain hash and its
 * inclusion in a signed tree head; a recipient verifies all of it, and refuses a receipt signed by another key, an
 * entry changed after signing, a proof or head that does not cover it, or one that is not a receipt at all.
 */
class ReceiptsTest {

    private static final Monitor MONITOR = new Monitor() { };
    private static final ECKey KEY = newKey("provider-key");
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private static final Receipts.Subject SUBJECT = new Receipts.Subject("negotiation.agreed", "provider", "consumer", "provider-negotiation-1",
            "consumer-negotiation-1", "agreement-1");

    @TempDir
    Path directory;
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;
    private StoredDecision decision;
    private Checkpoint head;

    @BeforeEach
    void open() {
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), MONITOR);
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), MONITOR);
        CheckpointKeyHistory.take(checkpoints, KEY, kid -> Optional.empty(), NOW);
        var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(KEY, Clock.systemUTC()),
                new CheckpointSchedule(5, Duration.ofHours(1)), Clock.systemUTC());
        for (int i = 0; i < 6; i++) {
            recorder.record(entry(i));
        }
        decision = recorder.record(agreed("provider-negotiation-1", "agreement-1")).getContent();
        for (int i = 0; i < 3; i++) {
            recorder.record(entry(10 + i));
        }
        head = checkpoints.latest().orElseThrow();
        assertThat(head.sequence()).isEqualTo(10);
    }

    @AfterEach
    void close() {
        store.close();
        checkpoints.close();
    }

    @Test
    void verify_whenSignedByTheIssuersKey_shouldGiveWhatItStates() {
        var receipt = Receipts.verify(sign(SUBJECT, decision, head, proof(decision.sequence(), head.sequence())), kid -> Optional.of(KEY.toECKey()), NOW);

        assertThat(receipt.issuer()).isEqualTo("provider");
        assertThat(receipt.event()).isEqualTo("negotiation.agreed");
        assertThat(receipt.agreementId()).isEqualTo("agreement-1");
        assertThat(receipt.issuerProcessId()).isEqualTo("provider-negotiation-1");
        assertThat(receipt.recipientProcessId()).isEqualTo("consumer-negotiation-1");
        assertThat(receipt.sequence()).isEqualTo(7);
        assertThat(receipt.entryHash()).isEqualTo(decision.hash());
        assertThat(receipt.treeSize()).isEqualTo(10);
        assertThat(receipt.rootHash()).isEqualTo(head.treeRoot());
    }

    @Nested
    class Refused {

        @Test
        void verify_whenSignedByAnotherKeyUnderTheIssuersKid_shouldRefuse() {
            var forger = newKey("provider-key");
            var forged = Receipts.sign(forger, SUBJECT, decision, head, proof(decision.sequence(), head.sequence()), NOW);

            assertThatThrownBy(() -> Receipts.verify(forged, kid -> Optional.of(KEY.toECKey()), NOW))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature does not verify");
        }

        @Test
        void verify_whenTheEntryIsNotTheOneLogged_shouldRefuse() {
            // signed by the issuer, but the entry was turned from a DENY into a PERMIT after it was chained
            var edited = new StoredDecision(decision.sequence(), decision.previousHash(), decision.hash(),
                    agreed("provider-negotiation-1", "agreement-1", DecisionOutcome.DENY));

            assertThatThrownBy(() -> Receipts.verify(sign(SUBJECT, edited, head, proof(decision.sequence(), head.sequence())), kid -> Optional.of(KEY.toECKey()), NOW))
                    .hasMessageContaining("does not have the entryHash");
        }

        @Test
        void verify_whenTheProofDoesNotLeadToTheHead_shouldRefuse() {
            var wrong = proof(decision.sequence() + 1, head.sequence());

            assertThatThrownBy(() -> Receipts.verify(sign(SUBJECT, decision, head, wrong), kid -> Optional.of(KEY.toECKey()), NOW))
                    .hasMessageContaining("inclusion proof does not lead");
        }

        @Test
        void verify_whenTheHeadDoesNotCoverTheEntry_shouldRefuse() {
            var earlier = checkpoints.all().get(0);

            assertThatThrownBy(() -> Receipts.verify(sign(SUBJECT, decision, earlier, List.of()), kid -> Optional.of(KEY.toECKey()), NOW))
                    .hasMessageContaining("does not cover its entry");
        }

        @Test
        void verify_whenTheEntryNamesAnotherProcess_shouldRefuse() {
            var other = new Receipts.Subject("negotiation.agreed", "provider", "consumer", "provider-negotiation-2", "consumer-negotiation-1", "agreement-1");

            assertThatThrownBy(() -> Receipts.verify(sign(other, decision, head, proof(decision.sequence(), head.sequence())), kid -> Optional.of(KEY.toECKey()), NOW))
                    .hasMessageContaining("does not name the issuer's process");
        }

        @Test
        void verify_whenTheIssuerHasNoSuchKey_shouldRefuse() {
            assertThatThrownBy(() -> Receipts.verify(sign(SUBJECT, decision, head, proof(decision.sequence(), head.sequence())), kid -> Optional.empty(), NOW))
                    .hasMessageContaining("does not hold");
        }

        @Test
        void verify_whenNotAReceipt_shouldRefuse() {
            assertThatThrownBy(() -> Receipts.verify("not.a.jws", kid -> Optional.of(KEY.toECKey()), NOW)).hasMessageContaining("not a compact JWS");
            assertThatThrownBy(() -> Receipts.verify(head.jws(), kid -> Optional.of(KEY.toECKey()), NOW)).hasMessageContaining("not an ES256 JWS of type");
        }
    }

    @Test
    void fileStore_shouldKeepOnce_andTellAResendFromAReplayWithOtherContent() throws Exception {
        var receipt = Receipts.verify(sign(SUBJECT, decision, head, proof(decision.sequence(), head.sequence())), kid -> Optional.of(KEY.toECKey()), NOW);
        var later = checkpoints.all().get(1);
        var other = new Receipts.Subject("negotiation.agreed", "provider", "consumer", "provider-negotiation-1", "consumer-negotiation-9", "agreement-1");
        var replayed = Receipts.verify(sign(other, decision, later, proof(decision.sequence(), later.sequence())), kid -> Optional.of(KEY.toECKey()), NOW);

        try (var receipts = FileReceiptStore.open(directory.resolve("receipts.jsonl"), MONITOR)) {
            assertThat(receipts.save(receipt)).isEqualTo(Saved.KEPT);
            assertThat(receipts.save(receipt)).isEqualTo(Saved.ALREADY_KEPT);
            assertThat(receipts.save(replayed)).isEqualTo(Saved.CONFLICT);
            // read back as it was verified, and checked again in full when read as an export
            assertThat(receipts.all()).containsExactly(receipt);
            assertThat(FileReceiptStore.readFile(directory.resolve("receipts.jsonl"))).containsExactly(receipt);
            assertThat(receipts.byAgreement("agreement-1")).hasSize(1);
            assertThat(receipts.byAgreement("agreement-2")).isEmpty();
            assertThat(receipts.lastOf("provider")).contains(receipt);
            assertThat(receipts.lastOf("consumer")).isEmpty();
        }
        // the indexes a save and lastOf read are built again from the file when it is opened again
        try (var reopened = FileReceiptStore.open(directory.resolve("receipts.jsonl"), MONITOR)) {
            assertThat(reopened.lastOf("provider")).contains(receipt);
            assertThat(reopened.save(replayed)).isEqualTo(Saved.CONFLICT);
            assertThat(reopened.save(receipt)).isEqualTo(Saved.ALREADY_KEPT);
        }
    }

    @Test
    void offlineVerifier_whenGivenTheCounterpartysReceipts_shouldCatchALogThatNoLongerHoldsTheEntry() throws Exception {
        var receiptsFile = directory.resolve("receipts.jsonl");
        try (var receipts = FileReceiptStore.open(receiptsFile, MONITOR)) {
            receipts.save(Receipts.verify(sign(SUBJECT, decision, head, proof(decision.sequence(), head.sequence())), kid -> Optional.of(KEY.toECKey()), NOW));
        }
        var intact = new java.io.ByteArrayOutputStream();
        assertThat(offline(directory, receiptsFile, intact)).isEqualTo(OfflineVerifier.INTACT);
        assertThat(intact.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("1 receipts");

        // the provider's operator rewrites its log without the agreement it gave a receipt of, and signs it all again
        var rewritten = directory.resolve("rewritten");
        java.nio.file.Files.createDirectories(rewritten);
        try (var store = FileDecisionLogStore.open(rewritten.resolve("decisions.jsonl"), MONITOR);
             var signed = FileCheckpointStore.open(rewritten.resolve("checkpoints.jsonl"), MONITOR)) {
            CheckpointKeyHistory.take(signed, KEY, kid -> Optional.empty(), NOW);
            var recorder = new CheckpointingDecisionRecorder(store, signed, new CheckpointSigner(KEY, Clock.systemUTC()),
                    new CheckpointSchedule(5, Duration.ofHours(1)), Clock.systemUTC());
            for (int i = 0; i < 10; i++) {
                recorder.record(entry(i));
            }
        }
        assertThat(offline(rewritten, null, new java.io.ByteArrayOutputStream())).as("the rewrite verifies on its own").isEqualTo(OfflineVerifier.INTACT);
        var broken = new java.io.ByteArrayOutputStream();
        assertThat(offline(rewritten, receiptsFile, broken)).isEqualTo(OfflineVerifier.BROKEN);
        assertThat(broken.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("WITNESSED_HEAD_NOT_EXTENDED");
    }

    private static int offline(Path dir, Path receipts, java.io.ByteArrayOutputStream out) {
        var args = new ArrayList<>(List.of("--log", dir.resolve("decisions.jsonl").toString(), "--checkpoints", dir.resolve("checkpoints.jsonl").toString(),
                "--keys", dir.resolve("checkpoint-keys.jsonl").toString()));
        if (receipts != null) {
            args.addAll(List.of("--receipts", receipts.toString()));
        }
        return OfflineVerifier.run(args.toArray(String[]::new), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8));
    }

    private String sign(Receipts.Subject subject, StoredDecision stored, Checkpoint signedHead, List<byte[]> proof) {
        return Receipts.sign(KEY, subject, stored, signedHead, proof, NOW);
    }

    private List<byte[]> proof(long sequence, long size) {
        return new ArrayList<>(new DecisionLogTree(store).upTo(size).inclusionProof(sequence - 1, size));
    }

    private static DecisionEntry agreed(String negotiationId, String agreementId) {
        return agreed(negotiationId, agreementId, DecisionOutcome.PERMIT);
    }

    private static DecisionEntry agreed(String negotiationId, String agreementId, DecisionOutcome outcome) {
        return DecisionEntry.builder().time(Instant.parse("2026-12-07T00:00:00Z")).scope(DecisionScope.CONTRACT_NEGOTIATION).counterpartyId("consumer")
                .negotiationId(negotiationId).agreementId(agreementId).assetId("machine-data").outcome(outcome)
                .reasons(List.of(new ConstraintReason("negotiation.agreed", outcome, "the provider agreed to the contract request"))).build();
    }
}
