package io.kakehashi.policy.auditor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory;
import io.kakehashi.policy.decisionlog.CheckpointSigner;
import io.kakehashi.policy.decisionlog.FileCheckpointStore;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.MerkleTree;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.edc.spi.monitor.Monitor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.CONSUMER_B;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.computeDecision;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.sha;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;

class AuditorApiControllerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final com.nimbusds.jose.jwk.ECKey KEY = newKey("connector-key");

    @TempDir
    Path directory;
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;
    private AuditorApiController controller;

    @BeforeEach
    void setUp() {
        open();
        for (var i = 0; i < 12; i++) {
            store.append(entry(i));
        }
        checkpoints.saveKey(CheckpointKeyHistory.introduce(KEY, Optional.empty(), Optional.empty(), Clock.systemUTC().instant()));
        checkpoints.save(new CheckpointSigner(KEY, Clock.systemUTC()).sign(store.head()));
    }

    private void open() {
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), new Monitor() {
        });
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), new Monitor() {
        });
        controller = new AuditorApiController(store, checkpoints, KEY::toPublicJWK);
    }

    @AfterEach
    void tearDown() {
        store.close();
        checkpoints.close();
    }

    @Nested
    class Query {

        @Test
        void query_whenFilteredByCounterpartyAndOutcome_shouldReturnOnlyThoseEntries() throws IOException {
            var response = controller.query(Map.of("counterparty", List.of(CONSUMER_B), "outcome", List.of("deny")));

            assertThat(response.getStatus()).isEqualTo(200);
            var decisions = body(response).get("decisions");
            assertThat(decisions).hasSize(3);
            decisions.forEach(decision -> {
                assertThat(decision.at("/entry/counterpartyId").asText()).isEqualTo(CONSUMER_B);
                assertThat(decision.at("/entry/outcome").asText()).isEqualTo(DecisionOutcome.DENY.name());
            });
        }

        @Test
        void query_whenPaged_shouldReturnThatPageInSequenceOrder() throws IOException {
            var response = controller.query(Map.of("offset", List.of("4"), "limit", List.of("3")));

            var decisions = body(response).get("decisions");
            assertThat(decisions).extracting(node -> node.get("sequence").asLong()).containsExactly(5L, 6L, 7L);
        }

        @Test
        void query_whenAParameterIsUnknownOrMalformed_shouldBeABadRequestNamingIt() throws IOException {
            assertBadRequest(controller.query(Map.of("counterpartyId", List.of(CONSUMER_B))), "counterpartyId");
            assertBadRequest(controller.query(Map.of("scope", List.of("everything"))), "scope 'everything'");
            assertBadRequest(controller.query(Map.of("outcome", List.of("maybe"))), "outcome 'maybe'");
            assertBadRequest(controller.query(Map.of("from", List.of("yesterday"))), "from 'yesterday'");
            assertBadRequest(controller.query(Map.of("limit", List.of("100000"))), "limit");
            assertBadRequest(controller.query(Map.of("offset", List.of("-1"))), "offset");
            assertBadRequest(controller.query(Map.of("asset", List.of("a", "b"))), "more than once");
            assertBadRequest(controller.query(Map.of("from", List.of("2026-11-24T00:00:00Z"), "to", List.of("2026-11-23T00:00:00Z"))), "from must be before to");
        }

        @Test
        void query_byDigest_shouldReturnTheEntriesCarryingItWithTheirDigests() throws IOException {
            store.append(computeDecision(12, DecisionScope.COMPUTE, sha('a'), null));
            store.append(computeDecision(13, DecisionScope.COMPUTE_RESULT, sha('a'), sha('b')));
            store.append(computeDecision(14, DecisionScope.COMPUTE, sha('c'), null));

            var byJob = body(controller.query(Map.of("digest", List.of(sha('a')))));
            var byResult = body(controller.query(Map.of("digest", List.of(sha('B')), "scope", List.of("compute.result"))));

            assertThat(byJob.get("decisions")).extracting(node -> node.get("sequence").asLong()).containsExactly(13L, 14L);
            assertThat(byResult.get("decisions")).singleElement().satisfies(decision -> {
                assertThat(decision.get("sequence").asLong()).isEqualTo(14L);
                assertThat(decision.at("/entry/scope").asText()).isEqualTo("compute.result");
                assertThat(decision.at("/entry/digests/job").asText()).isEqualTo(sha('a'));
                assertThat(decision.at("/entry/digests/result").asText()).isEqualTo(sha('b'));
            });
            assertThat(body(controller.query(Map.of("digest", List.of(sha('d'))))).get("count").asInt()).isZero();
        }

        @Test
        void query_byLegalId_shouldReturnTheEntriesOfThatCounterpartyWithIt() throws IOException {
            var base = entry(12);
            store.append(new io.kakehashi.policy.decisionlog.spi.DecisionEntry(base.time(), base.scope(), base.counterpartyId(), null, null, null,
                    base.assetId(), null, null, null, base.outcome(), base.reasons(), Map.of(), "JCN:1180301018771"));

            var found = body(controller.query(Map.of("legalId", List.of("jcn:1180301018771"))));

            assertThat(found.get("decisions")).singleElement().satisfies(decision -> {
                assertThat(decision.get("sequence").asLong()).isEqualTo(13L);
                assertThat(decision.at("/entry/counterpartyLegalId").asText()).isEqualTo("JCN:1180301018771");
            });
            assertThat(body(controller.query(Map.of("legalId", List.of("JCN:7010401012347")))).get("count").asInt()).isZero();
            assertBadRequest(controller.query(Map.of("legalId", List.of("JCN:2180301018771"))), "legalId: corporate number '2180301018771' has a wrong check digit");
            assertBadRequest(controller.query(Map.of("legalId", List.of("1180301018771"))), "legalId: registry identifier");
        }

        @Test
        void query_byAgreement_shouldFindItsEntriesByTheDspIdOrTheLocalId_andShowBoth() throws IOException {
            var base = entry(12);
            for (var i = 0; i < 2; i++) {
                store.append(io.kakehashi.policy.decisionlog.spi.DecisionEntry.builder().time(base.time().plusSeconds(i)).scope(base.scope())
                        .counterpartyId(base.counterpartyId()).agreement("dsp-agreement", "local-agreement").outcome(base.outcome()).build());
            }

            var byDspId = body(controller.query(Map.of("agreement", List.of("dsp-agreement"))));
            var byLocalId = body(controller.query(Map.of("agreement", List.of("local-agreement"))));

            assertThat(byDspId.get("decisions")).extracting(decision -> decision.get("sequence").asLong()).containsExactly(13L, 14L);
            assertThat(byLocalId).isEqualTo(byDspId);
            assertThat(byDspId.at("/decisions/0/entry/agreementId").asText()).isEqualTo("dsp-agreement");
            assertThat(byDspId.at("/decisions/0/entry/localAgreementId").asText()).isEqualTo("local-agreement");
        }

        @Test
        void query_whenTheDigestIsNotASha256_shouldBeABadRequestNamingIt() throws IOException {
            assertBadRequest(controller.query(Map.of("digest", List.of("abc123"))), "digest");
            assertBadRequest(controller.query(Map.of("digest", List.of("g".repeat(64)))), "digest");
            assertBadRequest(controller.query(Map.of("digest", List.of(""))), "digest");
        }

        @Test
        void decision_shouldReturnOneEntryOrSayWhyNot() throws IOException {
            assertThat(body(controller.decision("3")).get("sequence").asLong()).isEqualTo(3);
            assertThat(controller.decision("13").getStatus()).isEqualTo(404);
            assertBadRequest(controller.decision("three"), "not a whole number");
            assertBadRequest(controller.decision("0"), "at least 1");
        }
    }

    @Nested
    class Verify {

        @Test
        void verify_whenTheLogIsIntact_shouldSaySoWithTheCheckpoints() throws IOException {
            var result = body(controller.verify(Map.of()));

            assertThat(result.get("intact").asBoolean()).isTrue();
            assertThat(result.get("entriesChecked").asLong()).isEqualTo(12);
            assertThat(result.get("checkpointsChecked").asInt()).isEqualTo(1);
        }

        @Test
        void verify_whenAnEntryWasEdited_shouldNameItsPosition() throws IOException {
            tamper(5, "did:web:consumer-b.example", "did:web:someone-else.example");

            var result = body(controller.verify(Map.of()));

            assertThat(result.get("intact").asBoolean()).isFalse();
            assertThat(result.get("position").asLong()).isEqualTo(6);
            assertThat(result.get("problem").asText()).isEqualTo("HASH_MISMATCH");
        }

        @Test
        void verify_whenTheCheckpointWasSignedByAnotherKey_shouldFindIt() throws IOException {
            store.append(entry(12));
            // a forger that names the connector's key id
            checkpoints.save(new CheckpointSigner(newKey("connector-key"), Clock.systemUTC()).sign(store.head()));

            var result = body(controller.verify(Map.of()));

            assertThat(result.get("intact").asBoolean()).isFalse();
            assertThat(result.get("position").asLong()).isEqualTo(13);
            assertThat(result.get("problem").asText()).isEqualTo("CHECKPOINT_SIGNATURE_INVALID");
        }

        @Test
        void verify_whenTheCheckpointNamesAKeyTheLogNeverTook_shouldFindIt() throws IOException {
            store.append(entry(12));
            checkpoints.save(new CheckpointSigner(newKey("forger"), Clock.systemUTC()).sign(store.head()));

            var result = body(controller.verify(Map.of()));

            assertThat(result.get("intact").asBoolean()).isFalse();
            assertThat(result.get("position").asLong()).isEqualTo(13);
            assertThat(result.get("problem").asText()).isEqualTo("CHECKPOINT_KEY_UNKNOWN");
            assertThat(result.get("reason").asText()).contains("forger");
        }
    }

    @Nested
    class Metrics {

        @Test
        void verify_shouldCountEachResultWithItsKindOfBreakButNoPosition() throws IOException {
            var registry = new SimpleMeterRegistry();
            var metered = new AuditorApiController(store, checkpoints, KEY::toPublicJWK, new VerificationMeter(registry));

            metered.verify(Map.of());
            tamper(5, "did:web:consumer-b.example", "did:web:someone-else.example");
            metered = new AuditorApiController(store, checkpoints, KEY::toPublicJWK, new VerificationMeter(registry));
            metered.verify(Map.of());
            metered.verify(Map.of("from", List.of("0")));

            assertThat(registry.get(VerificationMeter.VERIFICATIONS).tags("result", "intact", "problem", "none").counter().count()).isEqualTo(1.0);
            assertThat(registry.get(VerificationMeter.VERIFICATIONS).tags("result", "broken", "problem", "hash_mismatch").counter().count())
                    .isEqualTo(1.0);
            registry.getMeters().forEach(meter -> assertThat(meter.getId().getTags()).noneMatch(tag -> tag.getValue().equals("6")));
        }
    }

    @Nested
    class Rotation {

        private ECKey rotate(String kid, ECKey previous, boolean stillHeld) {
            var key = newKey(kid);
            var history = checkpoints.keys();
            checkpoints.saveKey(CheckpointKeyHistory.introduce(key, Optional.of(history.get(history.size() - 1)),
                    stillHeld ? Optional.of(previous) : Optional.empty(), Clock.systemUTC().instant()));
            for (var i = 0; i < 3; i++) {
                store.append(entry(20 + i));
            }
            checkpoints.save(new CheckpointSigner(key, Clock.systemUTC()).sign(store.head()));
            return key;
        }

        @Test
        void verify_afterTwoRotations_shouldVerifyEveryCheckpointWithTheKeyItNames() throws IOException {
            var second = rotate("connector-key-2", KEY, true);
            rotate("connector-key-3", second, false);
            store.close();
            checkpoints.close();
            open();

            var result = body(controller.verify(Map.of()));

            assertThat(result.get("intact").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.get("checkpointsChecked").asInt()).isEqualTo(3);
        }

        @Test
        void checkpointKeys_shouldListEveryKeyWithItsHandOverAndUse() throws IOException {
            var second = rotate("connector-key-2", KEY, true);
            rotate("connector-key-3", second, false);

            var keys = body(controller.checkpointKeys()).get("keys");

            assertThat(keys).hasSize(3);
            assertThat(java.util.stream.StreamSupport.stream(keys.spliterator(), false).map(key -> key.get("kid").asText())).containsExactly("connector-key", "connector-key-2", "connector-key-3");
            assertThat(java.util.stream.StreamSupport.stream(keys.spliterator(), false).map(key -> key.get("status").asText())).containsExactly("FIRST", "ENDORSED", "UNENDORSED");
            assertThat(keys.get(0).get("firstUse").get("sequence").asLong()).isEqualTo(12);
            assertThat(keys.get(1).get("firstUse").get("sequence").asLong()).isEqualTo(15);
            assertThat(keys.get(2).get("lastUse").get("sequence").asLong()).isEqualTo(18);
            assertThat(keys.get(1).get("endorsement").asText()).isNotBlank();
            assertThat(keys.get(1).get("jwk").has("d")).isFalse();
            assertThat(lines(controller.exportCheckpointKeys())).hasSize(3);
        }

        @Test
        void verify_aRange_shouldCheckOnlyThatRange() throws IOException {
            var result = body(controller.verify(Map.of("from", List.of("3"), "to", List.of("8"))));

            assertThat(result.get("intact").asBoolean()).isTrue();
            assertThat(result.get("entriesChecked").asLong()).isEqualTo(6);
        }

        @Test
        void verify_whenTheRangeIsMalformed_shouldBeABadRequest() throws IOException {
            assertBadRequest(controller.verify(Map.of("from", List.of("0"))), "from must be at least 1");
            assertBadRequest(controller.verify(Map.of("from", List.of("8"), "to", List.of("3"))), "from must not be after to");
            assertBadRequest(controller.verify(Map.of("since", List.of("3"))), "since");
        }
    }

    @Nested
    class Export {

        @Test
        void exportDecisions_shouldWriteOneStoredEntryPerLine() throws IOException {
            var lines = lines(controller.exportDecisions(Map.of("from", List.of("2"), "to", List.of("4"))));

            assertThat(lines).hasSize(3);
            assertThat(MAPPER.readTree(lines.get(0)).get("sequence").asLong()).isEqualTo(2);
        }

        @Test
        void exportCheckpoints_shouldWriteEachCheckpoint() throws IOException {
            var lines = lines(controller.exportCheckpoints());

            assertThat(lines).singleElement().satisfies(line -> assertThat(MAPPER.readTree(line).get("jws").asText()).isNotBlank());
        }

        @Test
        void checkpointKey_shouldBeThePublicHalfOnly() throws IOException {
            var jwk = body(controller.checkpointKey());

            assertThat(jwk.get("kid").asText()).isEqualTo("connector-key");
            assertThat(jwk.has("d")).isFalse();
        }
    }

    private void tamper(int line, String from, String to) throws IOException {
        store.close();
        checkpoints.close();
        var file = directory.resolve("decisions.jsonl");
        var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        lines.set(line, lines.get(line).replace(from, to));
        Files.write(file, lines, StandardCharsets.UTF_8);
        open();
    }

    @Nested
    class Proofs {

        /** A 13th entry, and a checkpoint of it that carries the tree head (the one of entry 12 has none). */
        private void signTreeHead() {
            store.append(entry(12));
            checkpoints.save(new CheckpointSigner(KEY, Clock.systemUTC()).sign(store.head(), new io.kakehashi.policy.decisionlog.DecisionLogTree(store).root(13)));
        }

        private static List<byte[]> path(JsonNode proof) {
            var result = new java.util.ArrayList<byte[]>();
            proof.get("path").forEach(hash -> result.add(MerkleTree.fromHex(hash.asText())));
            return result;
        }

        @Test
        void treeHead_whenNoCheckpointCarriesOne_shouldBe404() throws IOException {
            var response = controller.treeHead();

            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(body(response).get("message").asText()).contains("tree head");
        }

        @Test
        void inclusionProof_shouldProveOneEntryAgainstTheSignedTreeHead_andAForgedOneBeRefused() throws Exception {
            signTreeHead();
            var head = body(controller.treeHead());
            // the auditor checks the signed tree head with the connector's key, and takes the root from the signed payload
            var jws = com.nimbusds.jose.JWSObject.parse(head.get("checkpoint").get("jws").asText());
            assertThat(jws.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(KEY.toPublicJWK()))).isTrue();
            var signedRoot = MAPPER.readTree(jws.getPayload().toString()).get("treeRoot").asText();
            assertThat(head.get("treeSize").asLong()).isEqualTo(13);
            assertThat(head.get("rootHash").asText()).isEqualTo(signedRoot);

            var response = controller.inclusionProof(Map.of("sequence", List.of("5"), "treeSize", List.of("13")));

            assertThat(response.getStatus()).isEqualTo(200);
            var proof = body(response);
            // the entry, read as any auditor reads it, hashed by the auditor: its chain hash, then its leaf
            var entry = body(controller.decision("5"));
            var chainHash = io.kakehashi.policy.decisionlog.HashChain.hash(entry.get("previousHash").asText(), 5, entry.get("entry"));
            var leaf = MerkleTree.leafHash(MerkleTree.fromHex(chainHash));
            assertThat(MerkleTree.verifyInclusion(4, 13, leaf, path(proof), MerkleTree.fromHex(signedRoot))).isTrue();
            assertThat(path(proof)).hasSize(4);

            var forged = path(proof);
            forged.set(1, MerkleTree.leafHash(new byte[]{1}));
            assertThat(MerkleTree.verifyInclusion(4, 13, leaf, forged, MerkleTree.fromHex(signedRoot))).isFalse();
            var otherEntry = MerkleTree.leafHash(MerkleTree.fromHex(store.read(6).getContent().hash()));
            assertThat(MerkleTree.verifyInclusion(4, 13, otherEntry, path(proof), MerkleTree.fromHex(signedRoot))).isFalse();
        }

        @Test
        void consistencyProof_shouldProveTheLogOnlyGrew() throws IOException {
            var earlier = new io.kakehashi.policy.decisionlog.DecisionLogTree(store).root(5);

            var response = controller.consistencyProof(Map.of("from", List.of("5"), "to", List.of("12")));

            assertThat(response.getStatus()).isEqualTo(200);
            var proof = body(response);
            assertThat(proof.get("fromRoot").asText()).isEqualTo(earlier);
            assertThat(MerkleTree.verifyConsistency(5, 12, MerkleTree.fromHex(earlier), MerkleTree.fromHex(proof.get("toRoot").asText()), path(proof))).isTrue();
            var rewritten = MerkleTree.leafHash(new byte[]{9});
            assertThat(MerkleTree.verifyConsistency(5, 12, rewritten, MerkleTree.fromHex(proof.get("toRoot").asText()), path(proof))).isFalse();
        }

        @Test
        void proofs_whenAParameterIsMissingMalformedOrOutOfRange_shouldBe400NamingIt() throws IOException {
            assertThat(body(controller.inclusionProof(Map.of("treeSize", List.of("12")))).get("message").asText()).contains("sequence");
            assertThat(controller.inclusionProof(Map.of("sequence", List.of("x"), "treeSize", List.of("12"))).getStatus()).isEqualTo(400);
            assertThat(body(controller.inclusionProof(Map.of("sequence", List.of("13"), "treeSize", List.of("12")))).get("message").asText()).contains("not within");
            assertThat(body(controller.inclusionProof(Map.of("sequence", List.of("1"), "treeSize", List.of("13")))).get("message").asText()).contains("beyond");
            assertThat(controller.inclusionProof(Map.of("sequence", List.of("1"), "treeSize", List.of("2"), "leaf", List.of("1"))).getStatus()).isEqualTo(400);
            assertThat(body(controller.consistencyProof(Map.of("from", List.of("5")))).get("message").asText()).contains("'to'");
            assertThat(body(controller.consistencyProof(Map.of("from", List.of("6"), "to", List.of("5")))).get("message").asText()).contains("after");
            assertThat(body(controller.consistencyProof(Map.of("from", List.of("0"), "to", List.of("5")))).get("message").asText()).contains("from");
            assertThat(body(controller.consistencyProof(Map.of("from", List.of("1"), "to", List.of("99")))).get("message").asText()).contains("beyond");
        }
    }

    /**
     * Witnessed heads (decision 0036): the verifier takes the heads of this log that the connector keeps as witness
     * evidence into account, and the evidence is shown and exported.
     */
    @Nested
    class WitnessedHeads {

        private io.kakehashi.policy.decisionlog.FileWitnessStore witness;

        @BeforeEach
        void openWitness() {
            witness = io.kakehashi.policy.decisionlog.FileWitnessStore.open(directory.resolve("witness.jsonl"), new Monitor() {
            });
            controller = new AuditorApiController(store, checkpoints, KEY::toPublicJWK, result -> { }, witness);
        }

        @AfterEach
        void closeWitness() {
            witness.close();
        }

        private io.kakehashi.policy.decisionlog.spi.WitnessRecord received(io.kakehashi.policy.decisionlog.spi.Checkpoint head) {
            var witnessKey = newKey("witness-key");
            var cosignature = io.kakehashi.policy.decisionlog.Cosignatures.sign(witnessKey, head,
                    io.kakehashi.policy.decisionlog.SignedTreeHeads.thumbprint(KEY), Clock.systemUTC().instant());
            return new io.kakehashi.policy.decisionlog.spi.WitnessRecord(io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind.RECEIVED, "witness-key",
                    head.sequence(), head.treeRoot(), head.jws(), witnessKey.toPublicJWK().toJSONString(), cosignature, null, Clock.systemUTC().instant(), null);
        }

        @Test
        void verify_whenTheLogExtendsTheWitnessedHead_shouldBeIntactAndCountIt() throws IOException {
            var head = new CheckpointSigner(KEY, Clock.systemUTC()).sign(store.head(), new io.kakehashi.policy.decisionlog.DecisionLogTree(store).root(12));
            witness.save(received(head));

            var verdict = body(controller.verify(Map.of()));
            assertThat(verdict.get("intact").asBoolean()).isTrue();
            assertThat(verdict.get("witnessedHeadsChecked").asInt()).isEqualTo(1);
            assertThat(verdict.get("witnessedHeadsCountersigned").asInt()).isEqualTo(1);

            var view = body(controller.witnessedHeads());
            assertThat(view.get("received").asInt()).isEqualTo(1);
            assertThat(view.get("conflicts").asInt()).isZero();
            assertThat(view.at("/records/0/kind").asText()).isEqualTo("RECEIVED");
            assertThat(view.at("/records/0/treeSize").asLong()).isEqualTo(12);
            assertThat(lines(controller.exportWitnessedHeads())).hasSize(1)
                    .allSatisfy(line -> assertThat(io.kakehashi.policy.decisionlog.WitnessJson.record(line)).isEqualTo(witness.all().get(0)));
        }

        @Test
        void verify_whenAWitnessedHeadSignedByTheLogsKeyIsNotExtended_shouldReportIt() throws IOException {
            // a head the connector signed before its log was rewritten: same size, another tree
            var before = new CheckpointSigner(KEY, Clock.systemUTC()).sign(new io.kakehashi.policy.decisionlog.spi.ChainHead(12, sha('e')), sha('a'));
            witness.save(received(before));

            var verdict = body(controller.verify(Map.of()));
            assertThat(verdict.get("intact").asBoolean()).isFalse();
            assertThat(verdict.get("problem").asText()).isEqualTo("WITNESSED_HEAD_NOT_EXTENDED");
            assertThat(verdict.get("position").asLong()).isEqualTo(12);
        }

        @Test
        void verify_whenTwoWitnessedHeadsForOneSizeDiffer_shouldReportAFork() throws IOException {
            var signer = new CheckpointSigner(KEY, Clock.systemUTC());
            witness.save(received(signer.sign(new io.kakehashi.policy.decisionlog.spi.ChainHead(5, sha('e')), sha('a'))));
            witness.save(received(signer.sign(new io.kakehashi.policy.decisionlog.spi.ChainHead(5, sha('f')), sha('b'))));

            var verdict = body(controller.verify(Map.of()));
            assertThat(verdict.get("problem").asText()).isEqualTo("WITNESSED_HEAD_FORK");
            assertThat(verdict.get("position").asLong()).isEqualTo(5);
        }

        @Test
        void witnessedHeads_whenNoStoreIsThere_shouldBeEmpty() throws IOException {
            var view = body(new AuditorApiController(store, checkpoints, KEY::toPublicJWK).witnessedHeads());
            assertThat(view.get("records")).isEmpty();
        }
    }

    @Nested
    class Receipts {

        @Test
        void receipts_shouldListTheVerifiedReceiptsByAgreement_andExportThemForTheVerifier() throws Exception {
            var issuerKey = newKey("provider-key");
            var issuerLog = FileDecisionLogStore.open(directory.resolve("provider-decisions.jsonl"), new Monitor() { });
            try (issuerLog; var receipts = io.kakehashi.policy.decisionlog.FileReceiptStore.open(directory.resolve("receipts.jsonl"), new Monitor() { })) {
                var entry = io.kakehashi.policy.decisionlog.spi.DecisionEntry.builder().time(Instant.parse("2026-12-07T00:00:00Z"))
                        .scope(io.kakehashi.policy.decisionlog.spi.DecisionScope.CONTRACT_NEGOTIATION).counterpartyId("consumer")
                        .negotiationId("provider-negotiation").agreementId("agreement-1").outcome(io.kakehashi.policy.decisionlog.spi.DecisionOutcome.PERMIT)
                        .reasons(List.of()).build();
                var stored = issuerLog.append(entry);
                var head = new CheckpointSigner(issuerKey, Clock.systemUTC()).sign(issuerLog.head(), new io.kakehashi.policy.decisionlog.DecisionLogTree(issuerLog).root(1));
                var subject = new io.kakehashi.policy.decisionlog.Receipts.Subject("negotiation.agreed", "provider", "consumer", "provider-negotiation",
                        "consumer-negotiation", "agreement-1");
                var jws = io.kakehashi.policy.decisionlog.Receipts.sign(issuerKey, subject, stored, head, List.of(), Instant.now());
                receipts.save(io.kakehashi.policy.decisionlog.Receipts.verify(jws, kid -> Optional.of(issuerKey.toPublicJWK()), Instant.now()));
                controller.receipts(receipts);

                var all = body(controller.receipts(Map.of()));
                var one = body(controller.receipts(Map.of("agreementId", List.of("agreement-1"))));
                var none = body(controller.receipts(Map.of("agreementId", List.of("agreement-2"))));

                assertThat(all.get("count").asInt()).isEqualTo(1);
                assertThat(one.get("receipts").get(0).get("event").asText()).isEqualTo("negotiation.agreed");
                assertThat(one.get("receipts").get(0).get("jws").asText()).isEqualTo(jws);
                assertThat(none.get("count").asInt()).isZero();
                assertBadRequest(controller.receipts(Map.of("agreement", List.of("agreement-1"))), "agreementId");
                assertBadRequest(controller.receipts(Map.of("agreementId", List.of("a", "b"))), "agreementId");
                assertThat(lines(controller.exportReceipts())).singleElement()
                        .satisfies(line -> assertThat(io.kakehashi.policy.decisionlog.Receipts.fromLine(line).jws()).isEqualTo(jws));
            }
        }
    }

    private static JsonNode body(Response response) throws IOException {
        return MAPPER.readTree((String) response.getEntity());
    }

    private static List<String> lines(Response response) throws IOException {
        var out = new ByteArrayOutputStream();
        ((StreamingOutput) response.getEntity()).write(out);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void assertBadRequest(Response response, String mentioning) throws IOException {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(body(response).get("message").asText()).contains(mentioning);
    }
}
