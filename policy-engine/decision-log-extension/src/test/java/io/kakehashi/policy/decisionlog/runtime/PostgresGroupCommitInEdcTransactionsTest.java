package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.ChainVerifier;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.sql.DecisionLogSchema;
import io.kakehashi.policy.decisionlog.sql.PostgresDecisionLogStore;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL log as the connector wires it (decision 0029): EDC's local transactions, the store's batches on its
 * writer thread each in an EDC transaction of its own. Deciders appending from inside their own EDC transactions are
 * acknowledged after their batch's commit, in one verifiable chain, and an entry stays when the decider's transaction
 * rolls back afterwards: the decision was made.
 */
@Tag("PostgresqlIntegrationTest")
class PostgresGroupCommitInEdcTransactionsTest {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "decision_log_edc_transactions_test";

    private LocalTransactionContext transactions;
    private DecisionLogStore store;
    private PostgresDecisionLogStore plain;

    @BeforeEach
    void wire() throws Exception {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        transactions = new LocalTransactionContext(new Monitor() { });
        var registry = new LocalDataSourceRegistry(transactions);
        registry.register("default", POSTGRES.dataSource(DATABASE, SCHEMA));
        var enlisted = EdcTransactionalDecisionLog.enlisted(registry, "default");
        transactions.execute(() -> DecisionLogSchema.create(enlisted));
        store = EdcTransactionalDecisionLog.store(new PostgresDecisionLogStore(enlisted, EdcTransactionalDecisionLog.transactions(transactions)), transactions);
        plain = new PostgresDecisionLogStore(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @AfterAll
    static void dropSchema() throws Exception {
        POSTGRES.dropSchema(DATABASE, SCHEMA);
    }

    @Test
    void decidersInTheirOwnTransactions_shouldBeAcknowledgedAfterTheCommitInOneChain() throws Exception {
        var executor = Executors.newFixedThreadPool(32);
        try {
            var futures = new ArrayList<Future<StoredDecision>>();
            for (int i = 0; i < 32; i++) {
                var n = i;
                futures.add(executor.submit(() -> transactions.execute(() -> store.append(entry(n)))));
            }
            var acknowledged = new ArrayList<StoredDecision>();
            for (var future : futures) {
                acknowledged.add(future.get(120, TimeUnit.SECONDS));
            }

            // read through another connection, outside EDC: every acknowledged entry is committed
            assertThat(ChainVerifier.verify(plain).intact()).isTrue();
            assertThat(ChainVerifier.verify(plain).entriesChecked()).isEqualTo(32);
            for (var stored : acknowledged) {
                assertThat(plain.read(stored.sequence()).getContent()).isEqualTo(stored);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void decidersTransactionRolledBack_shouldKeepTheEntry() {
        assertThatThrownBy(() -> transactions.execute(() -> {
            store.append(entry(7));
            throw new IllegalStateException("the negotiation failed after its decision was recorded");
        })).hasMessageContaining("negotiation failed");

        assertThat(plain.query(DecisionQuery.builder().assetId("asset-7").build())).hasSize(1);
        assertThat(store.head().sequence()).isEqualTo(1);
    }

    private static DecisionEntry entry(int i) {
        return DecisionEntry.builder().time(Instant.parse("2026-12-06T00:00:00Z").plusSeconds(i)).scope(DecisionScope.CONTRACT_NEGOTIATION)
                .counterpartyId("did:web:vendor.example").assetId("asset-" + i).outcome(DecisionOutcome.PERMIT)
                .reasons(List.of(new ConstraintReason("purpose", DecisionOutcome.PERMIT, "purpose: ai.training is within ai"))).build();
    }
}
