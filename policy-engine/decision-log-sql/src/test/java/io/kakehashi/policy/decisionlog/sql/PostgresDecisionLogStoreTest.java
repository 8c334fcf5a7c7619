package io.kakehashi.policy.decisionlog.sql;

import io.kakehashi.policy.decisionlog.ChainVerifier;
import io.kakehashi.policy.decisionlog.DecisionLogStoreTestBase;
import io.kakehashi.policy.decisionlog.JsonCanonicalizer;
import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.computeDecision;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.sha;
import static org.assertj.core.api.Assertions.assertThat;

@Tag("PostgresqlIntegrationTest")
class PostgresDecisionLogStoreTest extends DecisionLogStoreTestBase {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "decision_log_store_test";

    private DataSource dataSource;
    private PostgresDecisionLogStore store;
    private PostgresCheckpointStore checkpoints;

    @BeforeEach
    void emptySchema() throws SQLException {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        dataSource = POSTGRES.dataSource(DATABASE, SCHEMA);
        store = PostgresDecisionLogStore.create(dataSource);
        checkpoints = new PostgresCheckpointStore(dataSource);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        POSTGRES.dropSchema(DATABASE, SCHEMA);
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
        // a second replica starting on the same database: creating the schema again must change nothing
        store = PostgresDecisionLogStore.create(POSTGRES.dataSource(DATABASE, SCHEMA));
        checkpoints = new PostgresCheckpointStore(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @Override
    protected void tamperEditOutcome(long sequence) {
        sql("UPDATE kakehashi_decision_log SET outcome = 'PERMIT', entry_json = replace(entry_json, '\"outcome\":\"DENY\"', '\"outcome\":\"PERMIT\"') WHERE sequence = " + sequence);
    }

    @Override
    protected void tamperDelete(long sequence) {
        sql("DELETE FROM kakehashi_decision_log WHERE sequence = " + sequence);
    }

    @Override
    protected void tamperSwapWithNext(long sequence) {
        var next = sequence + 1;
        sql("UPDATE kakehashi_decision_log SET sequence = -1 WHERE sequence = " + sequence);
        sql("UPDATE kakehashi_decision_log SET sequence = " + sequence + " WHERE sequence = " + next);
        sql("UPDATE kakehashi_decision_log SET sequence = " + next + " WHERE sequence = -1");
    }

    @Override
    protected void tamperInsertBefore(long sequence, StoredDecision forged) {
        // make room, then put the forged row where the original was
        sql("UPDATE kakehashi_decision_log SET sequence = -sequence - 1 WHERE sequence >= " + sequence);
        sql("UPDATE kakehashi_decision_log SET sequence = -sequence WHERE sequence < 0");
        var entry = forged.entry();
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(
                "INSERT INTO kakehashi_decision_log (sequence, previous_hash, hash, decided_at, scope, counterparty_id, agreement_id, asset_id, outcome, entry_json)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setLong(1, forged.sequence());
            statement.setString(2, forged.previousHash());
            statement.setString(3, forged.hash());
            statement.setObject(4, OffsetDateTime.ofInstant(entry.time(), ZoneOffset.UTC));
            statement.setString(5, entry.scope().wireName());
            statement.setString(6, entry.counterpartyId());
            statement.setString(7, entry.agreementId());
            statement.setString(8, entry.assetId());
            statement.setString(9, entry.outcome().name());
            statement.setString(10, JsonCanonicalizer.canonicalize(DecisionJson.entry(entry)));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void tamperRenumber(long sequence, long newSequence) {
        sql("UPDATE kakehashi_decision_log SET sequence = " + newSequence + " WHERE sequence = " + sequence);
    }

    private void sql(String sql) {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Nested
    class QueryColumns {

        @Test
        void verify_whenOnlyAQueryColumnWasChanged_shouldReportTheEntryAsCorrupted() {
            for (int i = 0; i < 5; i++) {
                store.append(entry(i));
            }

            sql("UPDATE kakehashi_decision_log SET agreement_id = 'agreement-9' WHERE sequence = 3");
            var result = ChainVerifier.verify(store);

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(3);
            assertThat(result.problem()).isEqualTo(Problem.MALFORMED_ENTRY);
        }

        @Test
        void verify_whenOnlyTheLocalAgreementColumnWasChanged_shouldReportTheEntryAsCorrupted() {
            store.append(entry(0));
            store.append(io.kakehashi.policy.decisionlog.spi.DecisionEntry.builder().time(entry(1).time()).scope(DecisionScope.TRANSFER_PROCESS)
                    .counterpartyId("consumer").agreement("dsp-agreement", "local-agreement").outcome(io.kakehashi.policy.decisionlog.spi.DecisionOutcome.PERMIT)
                    .build());

            // an id planted in the column would make the entry answer for another agreement
            sql("UPDATE kakehashi_decision_log SET local_agreement_id = 'local-agreement' WHERE sequence = 1");
            var result = ChainVerifier.verify(store);

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(1);
            assertThat(result.problem()).isEqualTo(Problem.MALFORMED_ENTRY);
        }
    }

    @Nested
    class DigestColumn {

        /** The table as the first release made it, before entries had named digests. */
        private static final String TABLE_BEFORE_DIGESTS = """
                CREATE TABLE kakehashi_decision_log (
                    sequence BIGINT PRIMARY KEY, previous_hash VARCHAR(64) NOT NULL, hash VARCHAR(64) NOT NULL,
                    decided_at TIMESTAMPTZ NOT NULL, scope VARCHAR NOT NULL, counterparty_id VARCHAR NOT NULL,
                    agreement_id VARCHAR, asset_id VARCHAR, outcome VARCHAR NOT NULL, entry_json TEXT NOT NULL)""";

        @Test
        void create_whenTheLogPredatesDigests_shouldAddTheColumnKeepTheChainAndFindNewDigests() throws Exception {
            POSTGRES.recreateSchema(DATABASE, SCHEMA);
            sql(TABLE_BEFORE_DIGESTS);
            var old = oldChain();
            for (var stored : old) {
                insertWithoutDigestColumn(stored);
            }

            var migrated = PostgresDecisionLogStore.create(dataSource);
            PostgresDecisionLogStore.create(dataSource);
            migrated.append(computeDecision(6, DecisionScope.COMPUTE_RESULT, sha('a'), sha('b')));

            assertThat(ChainVerifier.verify(migrated).intact()).isTrue();
            assertThat(migrated.read(1).getContent()).isEqualTo(old.get(0));
            assertThat(migrated.query(DecisionQuery.builder().digest(sha('b')).build())).extracting(StoredDecision::sequence).containsExactly(6L);
            assertThat(migrated.query(DecisionQuery.builder().limit(10).build())).hasSize(6);
        }

        @Test
        void verify_whenOnlyTheDigestColumnWasChanged_shouldReportTheEntryAsCorrupted() {
            store.append(entry(0));
            store.append(computeDecision(1, DecisionScope.COMPUTE, sha('1'), null));

            sql("UPDATE kakehashi_decision_log SET digest_values = ARRAY['" + sha('9') + "'] WHERE sequence = 2");
            var result = ChainVerifier.verify(store);

            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(2);
            assertThat(result.problem()).isEqualTo(Problem.MALFORMED_ENTRY);
        }

        private java.util.List<StoredDecision> oldChain() throws IOException {
            try (var in = getClass().getResourceAsStream("/chain-before-digests.jsonl")) {
                assertThat(in).isNotNull();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(DecisionJson::stored).toList();
            }
        }

        private void insertWithoutDigestColumn(StoredDecision stored) {
            var entry = stored.entry();
            try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(
                    "INSERT INTO kakehashi_decision_log (sequence, previous_hash, hash, decided_at, scope, counterparty_id, agreement_id, asset_id, outcome, entry_json)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                statement.setLong(1, stored.sequence());
                statement.setString(2, stored.previousHash());
                statement.setString(3, stored.hash());
                statement.setObject(4, OffsetDateTime.ofInstant(entry.time(), ZoneOffset.UTC));
                statement.setString(5, entry.scope().wireName());
                statement.setString(6, entry.counterpartyId());
                statement.setString(7, entry.agreementId());
                statement.setString(8, entry.assetId());
                statement.setString(9, entry.outcome().name());
                statement.setString(10, JsonCanonicalizer.canonicalize(DecisionJson.entry(entry)));
                statement.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class Replicas {

        @Test
        void append_fromTwoStoresOnOneDatabase_shouldKeepOneChain() throws Exception {
            var other = new PostgresDecisionLogStore(POSTGRES.dataSource(DATABASE, SCHEMA));
            var first = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    store.append(entry(i));
                }
            });
            var second = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    other.append(entry(100 + i));
                }
            });
            first.start();
            second.start();
            first.join();
            second.join();

            assertThat(store.head().sequence()).isEqualTo(40);
            assertThat(ChainVerifier.verify(other).intact()).isTrue();
        }
    }

    @Nested
    class GroupCommit {

        private static final int THREADS = 32;

        /** Transactions that count themselves; the first waits until every append has been received (queued behind it). */
        private final class HeldFirstBatch implements PostgresDecisionLogStore.Transactions {
            final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            PostgresDecisionLogStore held;

            @Override
            public <T> T execute(java.util.function.Supplier<T> work) {
                if (count.incrementAndGet() == 1) {
                    var deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
                    while (held.received() < THREADS && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
                return work.get();
            }
        }

        @Test
        void concurrentAppends_shouldShareCommitsAndKeepOneVerifiableChain() throws Exception {
            var transactions = new HeldFirstBatch();
            var batched = new PostgresDecisionLogStore(dataSource, transactions);
            transactions.held = batched;

            var results = appendAtOnce(batched, i -> entry(i));

            assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(StoredDecision.class));
            // the first commit is held until every append is queued: the queued ones share at most one more (or all
            // 32 share the first, when they were queued before its leader took its batch)
            assertThat(transactions.count.get()).as("transactions for %d appends", THREADS).isBetween(1, 2);
            assertThat(ChainVerifier.verify(batched).entriesChecked()).isEqualTo(THREADS);
            assertThat(ChainVerifier.verify(batched).intact()).isTrue();
            for (var result : results) {
                var acknowledged = (StoredDecision) result;
                assertThat(batched.read(acknowledged.sequence()).getContent()).isEqualTo(acknowledged);
            }
        }

        @Test
        void batch_whenTheDatabaseRefusesOneEntry_shouldFailOnlyThatOne() throws Exception {
            sql("ALTER TABLE kakehashi_decision_log ADD CONSTRAINT refuses_one CHECK (counterparty_id <> 'did:web:refused.example')");
            var transactions = new HeldFirstBatch();
            var batched = new PostgresDecisionLogStore(dataSource, transactions);
            transactions.held = batched;

            var results = appendAtOnce(batched, i -> i == 7 ? io.kakehashi.policy.decisionlog.spi.DecisionEntry.builder().time(entry(i).time())
                    .scope(DecisionScope.CATALOG).counterpartyId("did:web:refused.example")
                    .outcome(io.kakehashi.policy.decisionlog.spi.DecisionOutcome.DENY).reasons(java.util.List.of()).build() : entry(i));

            assertThat(results.get(7)).isInstanceOf(org.eclipse.edc.spi.persistence.EdcPersistenceException.class);
            assertThat(results).filteredOn(StoredDecision.class::isInstance).hasSize(THREADS - 1);
            assertThat(ChainVerifier.verify(batched).intact()).isTrue();
            assertThat(batched.head().sequence()).isEqualTo(THREADS - 1);
            assertThat(batched.query(DecisionQuery.builder().counterpartyId("did:web:refused.example").build())).isEmpty();
        }

        private java.util.List<Object> appendAtOnce(PostgresDecisionLogStore target, java.util.function.IntFunction<io.kakehashi.policy.decisionlog.spi.DecisionEntry> entries) throws Exception {
            var executor = java.util.concurrent.Executors.newFixedThreadPool(THREADS);
            try {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<Object>>();
                for (int t = 0; t < THREADS; t++) {
                    var i = t;
                    futures.add(executor.submit(() -> {
                        try {
                            return target.append(entries.apply(i));
                        } catch (org.eclipse.edc.spi.persistence.EdcPersistenceException e) {
                            return e;
                        }
                    }));
                }
                var results = new java.util.ArrayList<Object>();
                for (var future : futures) {
                    results.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
                }
                return results;
            } finally {
                executor.shutdownNow();
            }
        }
    }
}
