package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.CONSUMER_A;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.START;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.computeDecision;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.sha;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.denied;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link DecisionLogStore} (with its {@link CheckpointStore}) keeps. A subclass provides a fresh,
 * empty store per test and the tamper hooks, which change the stored data behind the store's back exactly as
 * someone with access to the file or the database could. Hooks and {@link #reopen()} may replace the instances
 * that {@link #store()} and {@link #checkpointStore()} return.
 */
public abstract class DecisionLogStoreTestBase {

    private static final ECKey KEY = newKey("connector-key");

    /** the store under test, empty at the start of each test */
    protected abstract DecisionLogStore store();

    protected abstract CheckpointStore checkpointStore();

    /** closes the current instances and opens new ones on the same storage */
    protected abstract void reopen();

    /** changes the entry with this sequence number from DENY to PERMIT (everywhere it is stored), leaving its hashes */
    protected abstract void tamperEditOutcome(long sequence);

    protected abstract void tamperDelete(long sequence);

    /** swaps the entries with this sequence number and the next */
    protected abstract void tamperSwapWithNext(long sequence);

    /** puts the forged entry in front of the entry with this sequence number, moving the rest down */
    protected abstract void tamperInsertBefore(long sequence, StoredDecision forged);

    protected abstract void tamperRenumber(long sequence, long newSequence);

    private List<StoredDecision> appendEntries(int count) {
        return IntStream.range(0, count).mapToObj(i -> store().append(entry(i))).toList();
    }

    private void appendDenied(int count) {
        IntStream.rangeClosed(1, count).forEach(i -> store().append(denied(i)));
    }

    @Nested
    class Append {

        @Test
        void head_whenEmpty_shouldBeGenesisAtZero() {
            assertThat(store().head()).isEqualTo(new ChainHead(0, HashChain.GENESIS));
        }

        @Test
        void append_shouldNumberFromOneAndChainEachToThePrevious() {
            var stored = appendEntries(3);

            assertThat(stored).extracting(StoredDecision::sequence).containsExactly(1L, 2L, 3L);
            assertThat(stored.get(0).previousHash()).isEqualTo(HashChain.GENESIS);
            assertThat(stored.get(1).previousHash()).isEqualTo(stored.get(0).hash());
            assertThat(stored.get(2).previousHash()).isEqualTo(stored.get(1).hash());
            assertThat(stored.get(2).hash()).isEqualTo(HashChain.hash(stored.get(1).hash(), 3, entry(2)));
            assertThat(store().head()).isEqualTo(new ChainHead(3, stored.get(2).hash()));
        }

        @Test
        void append_shouldStoreTheEntryUnchanged() {
            appendEntries(2);

            assertThat(store().read(2).getContent().entry()).isEqualTo(entry(1));
            assertThat(store().read(1).getContent().entry()).isEqualTo(entry(0));
        }

        @Test
        void append_whenConcurrent_shouldKeepOneUnbrokenChain() throws Exception {
            var threads = 4;
            var perThread = 25;
            var executor = Executors.newFixedThreadPool(threads);
            try {
                var tasks = new ArrayList<Callable<Void>>();
                for (int t = 0; t < threads; t++) {
                    var offset = t * perThread;
                    tasks.add(() -> {
                        for (int i = 0; i < perThread; i++) {
                            store().append(entry(offset + i));
                        }
                        return null;
                    });
                }
                for (var future : executor.invokeAll(tasks, 2, TimeUnit.MINUTES)) {
                    future.get();
                }
            } finally {
                executor.shutdownNow();
            }

            assertThat(store().head().sequence()).isEqualTo(threads * perThread);
            assertThat(ChainVerifier.verify(store()).intact()).isTrue();
            assertThat(ChainVerifier.verify(store()).entriesChecked()).isEqualTo(threads * perThread);
        }
    }

    @Nested
    class Read {

        @Test
        void read_whenPastTheHead_shouldBeNotFound() {
            appendEntries(2);

            assertThat(store().read(3).failed()).isTrue();
            assertThat(store().read(0).failed()).isTrue();
        }

        @Test
        void readRange_shouldReturnThePageInOrderAndStopAtTheHead() {
            var stored = appendEntries(5);

            assertThat(store().readRange(2, 2)).containsExactly(stored.get(1), stored.get(2));
            assertThat(store().readRange(4, 10)).containsExactly(stored.get(3), stored.get(4));
            assertThat(store().readRange(6, 10)).isEmpty();
        }
    }

    @Nested
    class Query {

        @Test
        void query_byEachFilter_shouldReturnOnlyMatchesInSequenceOrder() {
            appendEntries(12);

            assertThat(sequences(DecisionQuery.builder().counterpartyId(CONSUMER_A).build())).containsExactly(1L, 3L, 5L, 7L, 9L, 11L);
            assertThat(sequences(DecisionQuery.builder().agreementId("agreement-1").build())).containsExactly(2L, 5L, 8L, 11L);
            assertThat(sequences(DecisionQuery.builder().assetId("asset-1").build())).containsExactly(2L, 4L, 6L, 8L, 10L, 12L);
            assertThat(sequences(DecisionQuery.builder().scope(DecisionScope.TRANSFER_PROCESS).build())).containsExactly(3L, 7L, 11L);
            assertThat(sequences(DecisionQuery.builder().outcome(DecisionOutcome.DENY).build())).containsExactly(4L, 8L, 12L);
            assertThat(sequences(DecisionQuery.builder().from(START.plus(Duration.ofMinutes(3))).to(START.plus(Duration.ofMinutes(6))).build()))
                    .containsExactly(4L, 5L, 6L);
        }

        @Test
        void query_withSeveralFilters_shouldMatchAllOfThem() {
            appendEntries(12);

            var query = DecisionQuery.builder().counterpartyId(DecisionLogTestFixtures.CONSUMER_B).outcome(DecisionOutcome.DENY)
                    .from(START.plus(Duration.ofMinutes(4))).build();

            assertThat(sequences(query)).containsExactly(8L, 12L);
        }

        @Test
        void query_withOffsetAndLimit_shouldPage() {
            appendEntries(12);

            var page1 = sequences(DecisionQuery.builder().counterpartyId(CONSUMER_A).limit(4).build());
            var page2 = sequences(DecisionQuery.builder().counterpartyId(CONSUMER_A).offset(4).limit(4).build());
            var page3 = sequences(DecisionQuery.builder().counterpartyId(CONSUMER_A).offset(8).limit(4).build());

            assertThat(page1).containsExactly(1L, 3L, 5L, 7L);
            assertThat(page2).containsExactly(9L, 11L);
            assertThat(page3).isEmpty();
        }

        @Test
        void query_whenNothingMatches_shouldBeEmpty() {
            appendEntries(4);

            assertThat(store().query(DecisionQuery.builder().agreementId("no-such-agreement").build())).isEmpty();
        }

        @Test
        void query_shouldReturnWholeEntries() {
            var stored = appendEntries(4);

            assertThat(store().query(DecisionQuery.builder().outcome(DecisionOutcome.DENY).build())).containsExactly(stored.get(3));
        }

        private List<Long> sequences(DecisionQuery query) {
            return store().query(query).stream().map(StoredDecision::sequence).toList();
        }
    }

    @Nested
    class Digests {

        @Test
        void append_withDigests_shouldStoreAndReadThemBack() {
            var entry = computeDecision(1, DecisionScope.COMPUTE_RESULT, sha('1'), sha('2'));

            var stored = store().append(entry);

            assertThat(store().read(stored.sequence()).getContent().entry()).isEqualTo(entry);
            assertThat(store().read(stored.sequence()).getContent().entry().digests()).containsExactly(
                    java.util.Map.entry("job", sha('1')), java.util.Map.entry("result", sha('2')));
        }

        @Test
        void query_byDigest_shouldFindEveryEntryCarryingItUnderAnyName() {
            appendEntries(2);
            store().append(computeDecision(3, DecisionScope.COMPUTE, sha('a'), null));
            store().append(computeDecision(4, DecisionScope.COMPUTE, sha('b'), null));
            store().append(computeDecision(5, DecisionScope.COMPUTE_RESULT, sha('a'), sha('c')));
            store().append(computeDecision(6, DecisionScope.COMPUTE_RESULT, sha('c'), null));

            assertThat(sequences(DecisionQuery.builder().digest(sha('a')).build())).containsExactly(3L, 5L);
            assertThat(sequences(DecisionQuery.builder().digest(sha('c')).build())).containsExactly(5L, 6L);
            assertThat(sequences(DecisionQuery.builder().digest(sha('c')).scope(DecisionScope.COMPUTE_RESULT).offset(1).build())).containsExactly(6L);
            assertThat(sequences(DecisionQuery.builder().digest(sha('d')).build())).isEmpty();
        }

        @Test
        void verify_whenEntriesWithAndWithoutDigestsAreMixed_shouldBeIntactAcrossAReopen() {
            appendEntries(3);
            store().append(computeDecision(4, DecisionScope.COMPUTE, sha('e'), null));
            store().append(entry(4));

            reopen();
            store().append(computeDecision(6, DecisionScope.COMPUTE_RESULT, sha('e'), sha('f')));

            assertThat(ChainVerifier.verify(store()).intact()).isTrue();
            assertThat(sequences(DecisionQuery.builder().digest(sha('e')).build())).containsExactly(4L, 6L);
        }

        private List<Long> sequences(DecisionQuery query) {
            return store().query(query).stream().map(StoredDecision::sequence).toList();
        }
    }

    @Nested
    class CounterpartyLegalId {

        private DecisionEntry withLegalId(int i, String legalId) {
            var entry = entry(i);
            return new DecisionEntry(entry.time(), entry.scope(), entry.counterpartyId(), entry.negotiationId(), entry.agreementId(),
                    entry.transferId(), entry.assetId(), entry.policyId(), entry.policyHash(), entry.claimsDigest(), entry.outcome(),
                    entry.reasons(), entry.digests(), legalId);
        }

        @Test
        void query_byLegalId_shouldFindTheEntriesOfThatCounterpartyAndReadThemBackWithIt() {
            store().append(entry(1));
            store().append(withLegalId(2, "JCN:1180301018771"));
            store().append(withLegalId(3, "LEI:5493001KJTIIGC8Y1R12"));
            reopen();
            var fourth = store().append(withLegalId(4, "JCN:1180301018771"));

            assertThat(store().query(DecisionQuery.builder().legalId("JCN:1180301018771").build())).extracting(StoredDecision::sequence)
                    .containsExactly(2L, fourth.sequence());
            assertThat(store().query(DecisionQuery.builder().legalId("JCN:7010401012347").build())).isEmpty();
            assertThat(store().read(fourth.sequence()).getContent().entry().counterpartyLegalId()).isEqualTo("JCN:1180301018771");
            assertThat(store().read(1).getContent().entry().counterpartyLegalId()).isNull();
            assertThat(ChainVerifier.verify(store()).intact()).isTrue();
        }
    }

    @Nested
    class AgreementIds {

        private DecisionEntry about(int i, String protocolId, String localId) {
            return DecisionEntry.builder().time(START.plus(Duration.ofMinutes(i))).scope(DecisionScope.TRANSFER_PROCESS).counterpartyId(CONSUMER_A)
                    .agreement(protocolId, localId).outcome(DecisionOutcome.PERMIT).build();
        }

        @Test
        void query_byAgreement_shouldFindItsEntriesByTheDspIdAndByTheLocalId_andReadTheLocalIdBack() {
            // an entry written before entries carried a local id names the provider's agreement by that id alone
            store().append(about(1, null, "local-1"));
            store().append(about(2, "dsp-1", "local-1"));
            store().append(about(3, "dsp-2", "local-2"));
            reopen();
            store().append(about(4, "dsp-1", "dsp-1"));
            store().append(about(5, "dsp-1", "local-1"));

            assertThat(store().query(DecisionQuery.builder().agreementId("dsp-1").build())).extracting(StoredDecision::sequence)
                    .containsExactly(2L, 4L, 5L);
            assertThat(store().query(DecisionQuery.builder().agreementId("local-1").build())).extracting(StoredDecision::sequence)
                    .containsExactly(1L, 2L, 5L);
            assertThat(store().query(DecisionQuery.builder().agreementId("local-1").scope(DecisionScope.CATALOG).build())).isEmpty();
            assertThat(store().read(5).getContent().entry().localAgreementId()).isEqualTo("local-1");
            assertThat(store().read(4).getContent().entry().localAgreementId()).isNull();
            assertThat(store().read(1).getContent().entry().agreementId()).isEqualTo("local-1");
            assertThat(ChainVerifier.verify(store()).intact()).isTrue();
        }
    }

    @Nested
    class Reopen {

        @Test
        void reopen_shouldKeepTheChainAndContinueIt() {
            var before = appendEntries(3);

            reopen();
            var next = store().append(entry(3));

            assertThat(store().readRange(1, 3)).isEqualTo(before);
            assertThat(next.sequence()).isEqualTo(4);
            assertThat(next.previousHash()).isEqualTo(before.get(2).hash());
            assertThat(ChainVerifier.verify(store()).intact()).isTrue();
        }

        @Test
        void reopen_shouldKeepTheCheckpoints() {
            appendEntries(3);
            var checkpoint = signer().sign(store().head());
            checkpointStore().save(checkpoint);

            reopen();

            assertThat(checkpointStore().all()).containsExactly(checkpoint);
            assertThat(checkpointStore().latest()).contains(checkpoint);
        }
    }

    @Nested
    class Tampering {

        @Test
        void verify_whenUntouched_shouldBeIntact() {
            appendDenied(10);

            var result = ChainVerifier.verify(store());

            assertThat(result.intact()).isTrue();
            assertThat(result.entriesChecked()).isEqualTo(10);
        }

        @Test
        void verify_whenAnEntryWasEdited_shouldReportItsPosition() {
            appendDenied(10);

            tamperEditOutcome(4);
            var result = ChainVerifier.verify(store());

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(4);
            assertThat(result.problem()).isIn(Problem.HASH_MISMATCH, Problem.MALFORMED_ENTRY);
        }

        @Test
        void verify_whenAnEntryWasDeleted_shouldReportItsPosition() {
            appendDenied(10);

            tamperDelete(4);
            var result = ChainVerifier.verify(store());

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(4);
            assertThat(result.problem()).isEqualTo(Problem.SEQUENCE_MISMATCH);
        }

        @Test
        void verify_whenTwoEntriesWereSwapped_shouldReportTheFirst() {
            appendDenied(10);

            tamperSwapWithNext(4);
            var result = ChainVerifier.verify(store());

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(4);
            assertThat(result.problem()).isIn(Problem.SEQUENCE_MISMATCH, Problem.PREVIOUS_HASH_MISMATCH);
        }

        @Test
        void verify_whenAWellFormedEntryWasInserted_shouldReportTheEntryItPushedDown() {
            var stored = new ArrayList<StoredDecision>();
            IntStream.rangeClosed(1, 10).forEach(i -> stored.add(store().append(denied(i))));
            // the best forgery: right sequence number, linked to its predecessor, its own hash correct
            var forgedEntry = denied(99);
            var previous = stored.get(2).hash();
            var forged = new StoredDecision(4, previous, HashChain.hash(previous, 4, forgedEntry), forgedEntry);

            tamperInsertBefore(4, forged);
            var result = ChainVerifier.verify(store());

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(5);
            assertThat(result.problem()).isIn(Problem.SEQUENCE_MISMATCH, Problem.PREVIOUS_HASH_MISMATCH);
        }

        @Test
        void verify_whenASequenceNumberWasChanged_shouldReportItsPosition() {
            appendDenied(10);

            tamperRenumber(4, 15);
            var result = ChainVerifier.verify(store());

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(4);
            assertThat(result.problem()).isEqualTo(Problem.SEQUENCE_MISMATCH);
        }

        @Test
        void verifyRange_shouldFindTheBreakOnlyInARangeThatHoldsIt() {
            appendDenied(10);

            tamperEditOutcome(7);

            assertThat(ChainVerifier.verify(store(), 1, 6).intact()).isTrue();
            assertThat(ChainVerifier.verify(store(), 3, 6).entriesChecked()).isEqualTo(4);
            var result = ChainVerifier.verify(store(), 5, 10);
            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(7);
        }
    }

    @Nested
    class Checkpoints {

        @Test
        void verify_withCheckpointsSignedByTheConnector_shouldBeIntact() {
            appendEntries(3);
            checkpointStore().save(signer().sign(store().head()));
            appendEntries(2);
            checkpointStore().save(signer().sign(store().head()));

            var result = ChainVerifier.verify(store(), checkpointStore().all(), KEY.toPublicJWK());

            assertThat(result.intact()).isTrue();
            assertThat(result.checkpointsChecked()).isEqualTo(2);
        }

        @Test
        void save_whenTheSequenceHasACheckpoint_shouldKeepTheFirst() {
            appendEntries(3);
            var first = signer().sign(store().head());
            checkpointStore().save(first);

            checkpointStore().save(new Checkpoint(first.sequence(), first.headHash(), first.time().plusSeconds(1), first.jws()));

            assertThat(checkpointStore().all()).containsExactly(first);
        }

        @Test
        void verify_whenACheckpointIsSignedByAnotherKey_shouldReportIt() {
            appendEntries(3);
            checkpointStore().save(new CheckpointSigner(newKey("intruder"), java.time.Clock.systemUTC()).sign(store().head()));

            var result = ChainVerifier.verify(store(), checkpointStore().all(), KEY.toPublicJWK());

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(3);
            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_SIGNATURE_INVALID);
        }

        @Test
        void verify_whenACheckpointsFieldsWereAltered_shouldReportIt() {
            appendEntries(3);
            var genuine = signer().sign(store().head());
            checkpointStore().save(new Checkpoint(genuine.sequence(), "ee".repeat(32), genuine.time(), genuine.jws()));

            var result = ChainVerifier.verify(store(), checkpointStore().all(), KEY.toPublicJWK());

            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_PAYLOAD_MISMATCH);
        }

        @Test
        void verify_whenACheckpointsSignedPayloadWasReplaced_shouldReportABadSignature() {
            appendEntries(3);
            var genuine = signer().sign(store().head());
            var parts = genuine.jws().split("\\.");
            var otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    JsonCanonicalizer.canonicalize(DecisionJson.checkpointPayload(2, store().read(2).getContent().hash(), genuine.time()))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            checkpointStore().save(new Checkpoint(2, store().read(2).getContent().hash(), genuine.time(), parts[0] + "." + otherPayload + "." + parts[2]));

            var result = ChainVerifier.verify(store(), checkpointStore().all(), KEY.toPublicJWK());

            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_SIGNATURE_INVALID);
            assertThat(result.position()).isEqualTo(2);
        }

        @Test
        void verify_whenACheckpointDoesNotMatchTheChain_shouldReportIt() {
            appendEntries(3);
            checkpointStore().save(signer().sign(new ChainHead(2, "ff".repeat(32))));

            var result = ChainVerifier.verify(store(), checkpointStore().all(), KEY.toPublicJWK());

            assertThat(result.position()).isEqualTo(2);
            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_NOT_IN_CHAIN);
        }

        @Test
        void verify_whenTheLogEndsBeforeACheckpoint_shouldReportTheMissingEntries() {
            appendEntries(3);
            checkpointStore().save(signer().sign(new ChainHead(5, "ff".repeat(32))));

            var result = ChainVerifier.verify(store(), checkpointStore().all(), KEY.toPublicJWK());

            assertThat(result.position()).isEqualTo(5);
            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_NOT_IN_CHAIN);
        }

        @Test
        void recorder_shouldCheckpointEveryNEntriesIntoThisStore() {
            var recorder = new CheckpointingDecisionRecorder(store(), checkpointStore(), signer(), new CheckpointSchedule(2, Duration.ofHours(1)), java.time.Clock.systemUTC());

            IntStream.range(0, 5).forEach(i -> recorder.record(entry(i)));

            assertThat(checkpointStore().all()).extracting(Checkpoint::sequence).containsExactly(2L, 4L);
            assertThat(ChainVerifier.verify(store(), checkpointStore().all(), KEY.toPublicJWK()).intact()).isTrue();
        }
    }

    /**
     * The keys checkpoints were signed with, across rotations: kept by the store, each checkpoint verified with the
     * key it names.
     */
    @Nested
    class KeyHistory {

        private final java.time.Clock clock = java.time.Clock.systemUTC();

        /** takes the key into the history as the connector does at start (handed over by the previous one when given) */
        private ECKey take(ECKey key, ECKey previous) {
            var last = checkpointStore().keys().stream().reduce((a, b) -> b);
            checkpointStore().saveKey(CheckpointKeyHistory.introduce(key, last, java.util.Optional.ofNullable(previous), clock.instant()));
            return key;
        }

        private void checkpoint(ECKey key) {
            checkpointStore().save(new CheckpointSigner(key, clock).sign(store().head()));
        }

        @Test
        void verify_afterTwoRotations_shouldVerifyEveryCheckpointWithItsOwnKey() {
            var first = take(newKey("key-1"), null);
            appendEntries(2);
            checkpoint(first);
            var second = take(newKey("key-2"), first);
            appendEntries(2);
            checkpoint(second);
            // the second key was already gone when the third came: no hand-over
            var third = take(newKey("key-3"), null);
            appendEntries(2);
            checkpoint(third);
            reopen();

            var result = ChainVerifier.verifyWithHistory(store(), checkpointStore().all(), checkpointStore().keys());

            assertThat(result.intact()).as(result.toString()).isTrue();
            assertThat(result.checkpointsChecked()).isEqualTo(3);
            assertThat(CheckpointKeyHistory.read(checkpointStore().keys())).extracting(CheckpointKeyHistory.Entry::status)
                    .containsExactly(CheckpointKeyHistory.Status.FIRST, CheckpointKeyHistory.Status.ENDORSED, CheckpointKeyHistory.Status.UNENDORSED);
            assertThat(CheckpointKeyHistory.uses(checkpointStore().all())).containsOnlyKeys("key-1", "key-2", "key-3");
            // a single key, as before the history, fails on the checkpoints of the other keys
            assertThat(ChainVerifier.verify(store(), checkpointStore().all(), second.toPublicJWK()).position()).isEqualTo(2);
        }

        @Test
        void saveKey_whenTheKeyIdIsKept_shouldKeepTheFirst() throws Exception {
            var key = take(newKey("key-1"), null);
            var kept = checkpointStore().keys().get(0);

            checkpointStore().saveKey(new CheckpointKey("key-1", newKey("key-1").toPublicJWK().toJSONString(), kept.added().plusSeconds(5), null));

            assertThat(checkpointStore().keys()).containsExactly(kept);
            assertThat(com.nimbusds.jose.jwk.JWK.parse(kept.publicJwk()).toPublicJWK()).isEqualTo(key.toPublicJWK());
        }

        @Test
        void verify_whenACheckpointNamesAKeyTheHistoryDoesNotHold_shouldReportItsPosition() throws Exception {
            var first = take(newKey("key-1"), null);
            appendEntries(2);
            checkpoint(first);
            appendEntries(2);
            checkpoint(newKey("key-unknown"));

            var result = ChainVerifier.verifyWithHistory(store(), checkpointStore().all(), checkpointStore().keys());

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(4);
            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_KEY_UNKNOWN);
            assertThat(result.reason()).contains("key-unknown");
        }

        @Test
        void verify_whenACheckpointsSignatureDoesNotMatchTheKeyItNames_shouldReportItsPosition() {
            var first = take(newKey("key-1"), null);
            appendEntries(2);
            checkpoint(first);
            var second = take(newKey("key-2"), first);
            appendEntries(3);
            // signed by another key that calls itself key-2
            checkpoint(newKey("key-2"));

            var result = ChainVerifier.verifyWithHistory(store(), checkpointStore().all(), checkpointStore().keys());

            assertThat(result.position()).isEqualTo(5);
            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_SIGNATURE_INVALID);
            assertThat(result.reason()).contains("key-2");
        }

        @Test
        void verify_whenAKeyWasSlippedInWithAForgedHandOver_shouldRefuseItsCheckpoints() {
            var first = take(newKey("key-1"), null);
            appendEntries(2);
            checkpoint(first);
            // the hand-over of key-2 is signed by an impostor that calls itself key-1
            var impostor = newKey("key-1");
            var impostorRecord = new CheckpointKey("key-1", impostor.toPublicJWK().toJSONString(), clock.instant(), null);
            var second = newKey("key-2");
            var forged = CheckpointKeyHistory.introduce(second, java.util.Optional.of(impostorRecord), java.util.Optional.of(impostor), clock.instant());
            assertThat(forged.endorsement()).isNotNull();
            checkpointStore().saveKey(forged);
            appendEntries(1);
            checkpoint(second);

            var result = ChainVerifier.verifyWithHistory(store(), checkpointStore().all(), checkpointStore().keys());

            assertThat(CheckpointKeyHistory.read(checkpointStore().keys()).get(1).status()).isEqualTo(CheckpointKeyHistory.Status.INVALID);
            assertThat(result.position()).isEqualTo(3);
            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_KEY_UNKNOWN);
            assertThat(result.reason()).contains("hand-over");
        }
    }

    protected static CheckpointSigner signer() {
        return new CheckpointSigner(KEY, java.time.Clock.systemUTC());
    }

    protected static ECKey key() {
        return KEY;
    }
}
