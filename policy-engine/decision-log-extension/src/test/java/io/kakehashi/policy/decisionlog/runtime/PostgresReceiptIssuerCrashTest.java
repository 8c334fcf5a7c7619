package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.core.outbox.OutboxSchema;
import io.kakehashi.core.outbox.PostgresStatementOutbox;
import io.kakehashi.policy.decisionlog.sql.DecisionLogSchema;
import io.kakehashi.policy.decisionlog.sql.PostgresCheckpointStore;
import io.kakehashi.policy.decisionlog.sql.PostgresDecisionLogStore;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ReceiptIssuerCrashTestBase} on PostgreSQL, where a run is a replica of the connector: a draft the crashed run
 * held is taken up once its claim ran out, and of two replicas on one database only the one that holds a draft signs
 * its receipt.
 */
@Tag("PostgresqlIntegrationTest")
class PostgresReceiptIssuerCrashTest extends ReceiptIssuerCrashTestBase {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "receipt_issuer_crash_test";

    @BeforeEach
    void emptySchema() throws SQLException {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        DecisionLogSchema.create(POSTGRES.dataSource(DATABASE, SCHEMA));
        OutboxSchema.create(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        POSTGRES.dropSchema(DATABASE, SCHEMA);
    }

    @Override
    Stores open() {
        var dataSource = POSTGRES.dataSource(DATABASE, SCHEMA);
        // connections are opened per call: nothing is held
        return new Stores(new PostgresDecisionLogStore(dataSource), new PostgresCheckpointStore(dataSource), new PostgresStatementOutbox(dataSource),
                () -> { });
    }

    @Test
    void twoReplicas_shouldSignAndSendAReceiptOnce_byTheReplicaThatHoldsItsDraft() throws InterruptedException {
        var first = run(open(), true);
        var second = run(open(), true);

        for (int i = 0; i < 10; i++) {
            (i % 2 == 0 ? first : second).issuer.issue(decision(i));
        }

        await().atMost(WAIT).until(() -> received.size() == 10);
        // both replicas' passes and deliveries run on: nothing is signed or sent twice
        Thread.sleep(TIMING.draftLease().plusSeconds(1).toMillis());
        assertThat(received).hasSize(10).doesNotHaveDuplicates();
        assertThat(first.stores.log().head().sequence()).isEqualTo(10);
        assertThat(first.stores.outbox().pending(ReceiptIssuer.DRAFT_KIND)).isEmpty();
    }
}
