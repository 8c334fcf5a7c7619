package io.kakehashi.policy.decisionlog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.START;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evidence bundle of one agreement: built from a log holding decisions about two agreements, a witness's
 * countersignature and a counterparty's receipt, it verifies offline and says in English and Japanese what was decided;
 * a changed entry, a forged head signature, a removed proof, an altered receipt or summary is refused, naming what failed.
 */
class EvidenceBundleTest {

    private static final Monitor MONITOR = new Monitor() { };
    static final String MAKER = "did:web:maker.example";
    static final String VENDOR = "did:web:vendor.example";
    private static final ECKey MAKER_KEY = newKey(MAKER + "#key-1");
    private static final ECKey VENDOR_KEY = newKey(VENDOR + "#key-1");
    private static final ECKey WITNESS_KEY = newKey("did:web:witness.example#key-1");
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private static final String POLICY_HASH = "ab".repeat(32);

    @TempDir
    Path directory;
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;
    private FileWitnessStore witness;
    private final List<Receipt> kept = new ArrayList<>();
    private final ReceiptStore receipts = new ReceiptStore() {
        @Override
        public Saved save(Receipt receipt) {
            kept.add(receipt);
            return Saved.KEPT;
        }

        @Override
        public List<Receipt> all() {
            return List.copyOf(kept);
        }
    };

    @BeforeEach
    void log() throws Exception {
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), MONITOR);
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), MONITOR);
        witness = FileWitnessStore.open(directory.resolve("witness.jsonl"), MONITOR);
        CheckpointKeyHistory.take(checkpoints, MAKER_KEY, kid -> Optional.empty(), NOW);
        var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(MAKER_KEY, Clock.systemUTC()),
                new CheckpointSchedule(1000, Duration.ofHours(1)), Clock.systemUTC());
        recorder.record(negotiation(0, "agreement-b", null, DecisionOutcome.PERMIT));
        recorder.record(negotiation(1, "agreement-a", "local-a", DecisionOutcome.PERMIT));
        recorder.record(event(2, DecisionScope.CONTRACT_NEGOTIATION, "negotiation.agreed", "agreement-a", "local-a", null));
        // a head a witness countersigned covers the agreement's first two decisions
        var witnessed = recorder.checkpointNow().orElseThrow();
        witness.save(new WitnessRecord(WitnessRecord.Kind.RECEIVED, WITNESS_KEY.getKeyID(), witnessed.sequence(), witnessed.treeRoot(), witnessed.jws(),
                WITNESS_KEY.toPublicJWK().toJSONString(), Cosignatures.sign(WITNESS_KEY, witnessed, SignedTreeHeads.thumbprint(MAKER_KEY), NOW), null, NOW, null));
        recorder.record(negotiation(3, "agreement-b", null, DecisionOutcome.DENY));
        recorder.record(event(4, DecisionScope.TRANSFER_PROCESS, "transfer.started", "agreement-a", "local-a", "maker-transfer-1"));
        recorder.record(computeResult(5, "agreement-a", "local-a"));
        recorder.checkpointNow();
        // the vendor terminated the transfer and sent the maker a receipt of it
        receipts.save(vendorReceipt("agreement-a"));
    }

    @AfterEach
    void close() {
        store.close();
        checkpoints.close();
        witness.close();
    }

    @Test
    void verify_whenBuiltForOneAgreement_shouldHoldItsDecisionsOnlyAndSayThemInBothLanguages() {
        var bundle = build("agreement-a");

        var verification = EvidenceBundle.verify(bundle, Optional.of(MAKER_KEY.toPublicJWK()));

        assertThat(verification.problem()).isNull();
        assertThat(verification.intact()).isTrue();
        var content = verification.content();
        assertThat(content.agreementId()).isEqualTo("agreement-a");
        assertThat(content.localAgreementId()).isEqualTo("local-a");
        assertThat(content.entries()).extracting(entry -> entry.stored().sequence()).containsExactly(2L, 3L, 5L, 6L);
        assertThat(content.witnesses()).hasSize(1);
        assertThat(content.receipts()).hasSize(1);
        var english = String.join("\n", verification.summary().english());
        assertThat(english).contains("Agreement agreement-a (local id local-a): 4 decisions", "tree head of 6 entries")
                .contains("permitted the contract request of " + VENDOR + " (legal id JCN:7010401012347), about asset machine-data, under policy eu-only (SHA-256 " + POLICY_HASH + ")")
                .contains("agreed to the contract with " + VENDOR)
                .contains("started the data transfer maker-transfer-1 to " + VENDOR)
                .contains("refused to release a compute job's result to " + VENDOR, "refused by: minimumGroupSize")
                .contains("the counterparty " + VENDOR + " terminated the data transfer, and signed a receipt of it")
                .contains("countersigned by the witness(es) did:web:witness.example#key-1")
                .doesNotContain("agreement-b");
        var japanese = String.join("\n", verification.summary().japanese());
        assertThat(japanese).contains("契約 agreement-a（ローカルID local-a）", "の契約申込みを許可した", "との契約に合意した",
                "へのデータ転送 maker-transfer-1 を開始した", "への計算結果の開示を拒否した", "相手方 " + VENDOR + " はデータ転送を終了し",
                "法人識別子 JCN:7010401012347", "（対象資産 machine-data、ポリシー eu-only（SHA-256 " + POLICY_HASH + "））");
    }

    @Test
    void build_whenGivenTheLocalId_shouldBuildTheBundleOfTheSameAgreement() {
        var verification = EvidenceBundle.verify(build("local-a"), Optional.empty());

        assertThat(verification.intact()).isTrue();
        assertThat(verification.content().agreementId()).isEqualTo("agreement-a");
        assertThat(verification.content().entries()).hasSize(4);
        assertThat(verification.notes()).anyMatch(note -> note.contains("was not compared with a key you trust"));
    }

    @Test
    void build_whenNoEntryNamesTheAgreement_shouldBeNotFound() {
        var result = EvidenceBundle.build(store, new DecisionLogTree(store), checkpoints, witness, receipts, "no-such-agreement", NOW);

        assertThat(result.failed()).isTrue();
        assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
    }

    @Test
    void build_whenNoSignedTreeHeadCoversTheEntriesYet_shouldBeAConflict() {
        var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(MAKER_KEY, Clock.systemUTC()),
                new CheckpointSchedule(1000, Duration.ofHours(1)), Clock.systemUTC());
        recorder.record(negotiation(9, "agreement-c", null, DecisionOutcome.PERMIT));

        var result = EvidenceBundle.build(store, new DecisionLogTree(store), checkpoints, witness, receipts, "agreement-c", NOW);

        assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
    }

    @Test
    void build_whenAWitnessRecordHoldsAHeadNoKeyOfTheLogSigned_shouldLeaveItOut() {
        var stranger = newKey(MAKER + "#key-1");
        var foreign = new CheckpointSigner(stranger, Clock.systemUTC()).sign(
                new io.kakehashi.policy.decisionlog.spi.ChainHead(3, store.read(3).getContent().hash()), "00".repeat(32));
        witness.save(new WitnessRecord(WitnessRecord.Kind.RECEIVED, WITNESS_KEY.getKeyID(), 3, foreign.treeRoot(), foreign.jws(),
                WITNESS_KEY.toPublicJWK().toJSONString(), Cosignatures.sign(WITNESS_KEY, foreign, SignedTreeHeads.thumbprint(stranger), NOW), null, NOW, null));

        var verification = EvidenceBundle.verify(build("agreement-a"), Optional.empty());

        assertThat(verification.intact()).isTrue();
        assertThat(verification.content().witnesses()).hasSize(1);
    }

    @Test
    void build_whenAWitnessedHeadIsNotOneTheLogExtends_shouldBeAConflictNamingIt() {
        // the operator's key signed another tree of 3 entries, and a witness countersigned it: the log was rewritten
        var forked = new CheckpointSigner(MAKER_KEY, Clock.systemUTC()).sign(
                new io.kakehashi.policy.decisionlog.spi.ChainHead(3, store.read(3).getContent().hash()), "00".repeat(32));
        witness.save(new WitnessRecord(WitnessRecord.Kind.RECEIVED, WITNESS_KEY.getKeyID(), 3, forked.treeRoot(), forked.jws(),
                WITNESS_KEY.toPublicJWK().toJSONString(), Cosignatures.sign(WITNESS_KEY, forked, SignedTreeHeads.thumbprint(MAKER_KEY), NOW), null, NOW, null));

        var result = EvidenceBundle.build(store, new DecisionLogTree(store), checkpoints, witness, receipts, "agreement-a", NOW);

        assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        assertThat(result.getFailureDetail()).contains("witnessed head 2: its consistency proof does not show the bundle's signed tree head extending it");
    }

    @Nested
    class Refused {

        @Test
        void verify_whenAnEntryWasChanged_shouldNameTheEntry() {
            var tampered = tamper(build("agreement-a"), bundle -> ((ObjectNode) bundle.withArray("entries").get(3).get("entry")).put("outcome", "PERMIT"));

            assertRefused(tampered, "entry at sequence 6: its content does not hash to its stored hash");
        }

        @Test
        void verify_whenAnEntryAndItsHashWereChanged_shouldFindItsProofNoLongerLeadsToTheHead() {
            var tampered = tamper(build("agreement-a"), bundle -> {
                var stored = (ObjectNode) bundle.withArray("entries").get(3);
                ((ObjectNode) stored.get("entry")).put("outcome", "PERMIT");
                var entry = DecisionJson.entry(stored.get("entry"));
                stored.put("hash", HashChain.hash(stored.get("previousHash").asText(), 6, entry));
            });

            assertRefused(tampered, "entry at sequence 6: its inclusion proof does not lead to the signed tree head's root");
        }

        @Test
        void verify_whenAnEntryOfAnotherAgreementIsSlippedIn_shouldRefuseItThoughItsProofHolds() {
            var other = JsonCanonicalizer.parse(build("agreement-b")).get("entries").get(0);
            var tampered = tamper(build("agreement-a"), bundle -> bundle.withArray("entries").insert(0, other));

            assertRefused(tampered, "entry at sequence 1: it does not name the agreement agreement-a");
        }

        @Test
        void verify_whenTheHeadSignatureIsForged_shouldRefuseTheHead() {
            var forger = newKey(MAKER + "#key-1");
            var tampered = tamper(build("agreement-a"), bundle -> {
                var head = (ObjectNode) bundle.get("signedTreeHead");
                var jws = head.get("jws").asText();
                var payload = JsonCanonicalizer.parse(new String(java.util.Base64.getUrlDecoder().decode(jws.split("\\.")[1]), StandardCharsets.UTF_8));
                var forged = new CheckpointSigner(forger, Clock.systemUTC()).sign(
                        new io.kakehashi.policy.decisionlog.spi.ChainHead(payload.get("sequence").asLong(), payload.get("headHash").asText()),
                        payload.get("treeRoot").asText());
                head.put("jws", forged.jws());
            });

            assertRefused(tampered, "signed tree head: the signed tree head's signature does not verify");
        }

        @Test
        void verify_whenAProofWasRemoved_shouldNameTheEntry() {
            var tampered = tamper(build("agreement-a"), bundle -> ((ObjectNode) bundle.withArray("entries").get(1)).remove("inclusionProof"));

            assertRefused(tampered, "entry at sequence 3: it has no inclusion proof");
        }

        @Test
        void verify_whenAProofWasEmptied_shouldNameTheEntry() {
            var tampered = tamper(build("agreement-a"), bundle -> ((ObjectNode) bundle.withArray("entries").get(1)).putArray("inclusionProof"));

            assertRefused(tampered, "entry at sequence 3: its inclusion proof does not lead");
        }

        @Test
        void verify_whenAReceiptWasAltered_shouldRefuseTheReceipt() {
            var tampered = tamper(build("agreement-a"), bundle -> {
                var receipt = (ObjectNode) bundle.withArray("receipts").get(0);
                var parts = receipt.get("jws").asText().split("\\.");
                var payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("transfer.terminated", "transfer.started");
                receipt.put("jws", parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
            });

            assertRefused(tampered, "receipt 1: receipt line: the receipt's signature does not verify");
        }

        @Test
        void verify_whenTheWitnessCountersignatureWasForged_shouldRefuseIt() {
            var tampered = tamper(build("agreement-a"), bundle -> {
                var record = (ObjectNode) bundle.withArray("witnessedHeads").get(0).get("record");
                var cosignature = record.get("cosignature").asText();
                record.put("cosignature", cosignature.substring(0, cosignature.lastIndexOf('.') + 1) + "A".repeat(86));
            });

            assertRefused(tampered, "witnessed head 1: the countersignature does not verify");
        }

        @Test
        void verify_whenTheSummaryWasRewritten_shouldRefuseIt() {
            var tampered = tamper(build("agreement-a"), bundle -> {
                var english = (ArrayNode) bundle.get("summary").get("en");
                english.set(4, english.get(4).asText().replace("refused to release", "released"));
            });

            assertRefused(tampered, "summary: it does not state what the verified content says");
        }

        @Test
        void verify_whenTheFirstKeyIsNotTheTrustedOne_shouldRefuse() {
            var verification = EvidenceBundle.verify(build("agreement-a"), Optional.of(VENDOR_KEY.toPublicJWK()));

            assertThat(verification.intact()).isFalse();
            assertThat(verification.problem()).contains("the history's first key is not the key you trust");
        }

        private void assertRefused(String bundle, String problem) {
            var verification = EvidenceBundle.verify(bundle, Optional.empty());

            assertThat(verification.intact()).isFalse();
            assertThat(verification.problem()).contains(problem);
        }
    }

    @Nested
    class OfflineVerifierBundle {

        @Test
        void run_whenTheBundleIsIntact_shouldPrintTheSummaryInBothLanguages() throws Exception {
            var file = directory.resolve("bundle.json");
            Files.writeString(file, build("agreement-a"));
            var key = directory.resolve("maker.jwk.json");
            Files.writeString(key, MAKER_KEY.toPublicJWK().toJSONString());
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();

            var exit = OfflineVerifier.run(new String[]{"--bundle", file.toString(), "--public-key", key.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(exit).isEqualTo(OfflineVerifier.INTACT);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("intact: evidence bundle of agreement agreement-a: 4 entries")
                    .contains("agreed to the contract with " + VENDOR).contains("との契約に合意した");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("receipt 1 is signed by " + VENDOR);
        }

        @Test
        void run_whenTheBundleWasTampered_shouldRefuseItWithoutASummary() throws Exception {
            var file = directory.resolve("bundle.json");
            Files.writeString(file, tamper(build("agreement-a"), bundle -> ((ObjectNode) bundle.withArray("entries").get(0).get("entry")).put("policyId", "any")));
            var out = new ByteArrayOutputStream();

            var exit = OfflineVerifier.run(new String[]{"--bundle", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

            assertThat(exit).isEqualTo(OfflineVerifier.BROKEN);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("evidence bundle refused: entry at sequence 2: its content does not hash")
                    .doesNotContain("agreed to the contract");
        }

        @Test
        void run_whenTheBundleCannotBeRead_shouldBeUnusable() {
            var exit = OfflineVerifier.run(new String[]{"--bundle", directory.resolve("missing.json").toString()}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()));

            assertThat(exit).isEqualTo(OfflineVerifier.UNUSABLE);
        }

        @Test
        void run_whenTheBundleIsGivenWithALog_shouldRefuseTheArguments() {
            var exit = OfflineVerifier.run(new String[]{"--bundle", "b.json", "--log", "d.jsonl"}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()));

            assertThat(exit).isEqualTo(OfflineVerifier.UNUSABLE);
        }
    }

    private String build(String agreement) {
        var result = EvidenceBundle.build(store, new DecisionLogTree(store), checkpoints, witness, receipts, agreement, NOW);
        assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
        return result.getContent();
    }

    private static String tamper(String bundle, Consumer<ObjectNode> change) {
        var node = (ObjectNode) JsonCanonicalizer.parse(bundle);
        change.accept(node);
        return JsonCanonicalizer.canonicalize(node);
    }

    private static DecisionEntry negotiation(int i, String agreement, String local, DecisionOutcome outcome) {
        return DecisionEntry.builder().time(START.plusSeconds(i)).scope(DecisionScope.CONTRACT_NEGOTIATION).counterpartyId(VENDOR)
                .counterpartyLegalId("JCN:7010401012347").negotiationId("maker-negotiation-" + i).agreement(agreement, local)
                .assetId("machine-data").policyId("eu-only").policyHash(POLICY_HASH).outcome(outcome)
                .reasons(List.of(new ConstraintReason("jurisdiction", outcome, "consumer country JP"))).build();
    }

    private static DecisionEntry event(int i, DecisionScope scope, String event, String agreement, String local, String transferId) {
        return DecisionEntry.builder().time(START.plusSeconds(i)).scope(scope).counterpartyId(VENDOR).negotiationId("maker-negotiation-1")
                .transferId(transferId).agreement(agreement, local).assetId("machine-data").outcome(DecisionOutcome.PERMIT)
                .reasons(List.of(new ConstraintReason(event, DecisionOutcome.PERMIT, event))).build();
    }

    private static DecisionEntry computeResult(int i, String agreement, String local) {
        return DecisionEntry.builder().time(START.plusSeconds(i)).scope(DecisionScope.COMPUTE_RESULT).counterpartyId(VENDOR)
                .agreement(agreement, local).assetId("machine-data").outcome(DecisionOutcome.DENY)
                .reasons(List.of(new ConstraintReason("minimumGroupSize", DecisionOutcome.DENY, "a group has 3 rows, fewer than 5")))
                .digest("job", "cd".repeat(32)).build();
    }

    /**
     * The vendor's own log, holding its decision to terminate the transfer, and the receipt of it it signed for the maker.
     */
    private Receipt vendorReceipt(String agreement) throws java.io.IOException {
        var vendorDir = Files.createDirectories(directory.resolve("vendor"));
        try (var vendorStore = FileDecisionLogStore.open(vendorDir.resolve("decisions.jsonl"), MONITOR);
             var vendorCheckpoints = FileCheckpointStore.open(vendorDir.resolve("checkpoints.jsonl"), MONITOR)) {
            var recorder = new CheckpointingDecisionRecorder(vendorStore, vendorCheckpoints, new CheckpointSigner(VENDOR_KEY, Clock.systemUTC()),
                    new CheckpointSchedule(1000, Duration.ofHours(1)), Clock.systemUTC());
            var entry = DecisionEntry.builder().time(START.plusSeconds(30)).scope(DecisionScope.TRANSFER_PROCESS).counterpartyId(MAKER)
                    .transferId("vendor-transfer-1").agreementId(agreement).outcome(DecisionOutcome.DENY)
                    .reasons(List.of(new ConstraintReason("transfer.terminated", DecisionOutcome.DENY, "the transfer was terminated"))).build();
            var stored = recorder.record(entry).getContent();
            var head = recorder.checkpointNow().orElseThrow();
            var proof = new DecisionLogTree(vendorStore).upTo(head.sequence()).inclusionProof(stored.sequence() - 1, head.sequence());
            var jws = Receipts.sign(VENDOR_KEY, new Receipts.Subject("transfer.terminated", VENDOR, MAKER, "vendor-transfer-1", "maker-transfer-1", agreement),
                    stored, head, proof, NOW);
            return Receipts.verify(jws, kid -> Optional.of(VENDOR_KEY.toPublicJWK()), NOW);
        }
    }
}
