package io.kakehashi.core.outbox;

import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("PostgresqlIntegrationTest")
class PostgresStatementOutboxTest extends StatementOutboxTestBase {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "statement_outbox_test";

    private PostgresStatementOutbox outbox;

    @BeforeEach
    void emptySchema() throws SQLException {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        OutboxSchema.create(POSTGRES.dataSource(DATABASE, SCHEMA));
        // made twice, as replicas starting together do
        OutboxSchema.create(POSTGRES.dataSource(DATABASE, SCHEMA));
        outbox = new PostgresStatementOutbox(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        POSTGRES.dropSchema(DATABASE, SCHEMA);
    }

    @Override
    StatementOutbox outbox() {
        return outbox;
    }

    @Override
    StatementOutbox reopened() {
        return new PostgresStatementOutbox(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @Test
    void replicasClaimingTogether_shouldEachTakeOtherStatements() throws Exception {
        for (int i = 0; i < 40; i++) {
            outbox.put("decision-receipt", "https://peer.example", "statement-" + i, T0);
        }
        var replicas = new java.util.ArrayList<java.util.concurrent.Future<java.util.List<StatementOutbox.Pending>>>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int r = 0; r < 4; r++) {
                var replica = new PostgresStatementOutbox(POSTGRES.dataSource(DATABASE, SCHEMA));
                var holder = "replica-" + r;
                replicas.add(pool.submit(() -> {
                    var taken = new java.util.ArrayList<StatementOutbox.Pending>();
                    for (int round = 0; round < 10; round++) {
                        taken.addAll(replica.claim("decision-receipt", holder, T0, T0.plus(LEASE), 3));
                    }
                    return taken;
                }));
            }
            var all = new java.util.ArrayList<String>();
            for (var replica : replicas) {
                replica.get().forEach(statement -> all.add(statement.id()));
            }
            assertThat(all).hasSize(40).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void purgeDone_shouldDeleteOnlyRowsDoneBeforeTheGivenTime() {
        var done = outbox.put("decision-receipt", "https://peer.example", "a.b.c", T0);
        var waiting = outbox.put("decision-receipt", "https://peer.example", "d.e.f", T0);
        outbox.claim("decision-receipt", "replica-1", T0, T0.plus(LEASE), 1);
        outbox.done(done.id(), "replica-1", StatementOutbox.Outcome.DELIVERED, null, T0);

        assertThat(outbox.purgeDone(T0.minus(Duration.ofDays(1)))).isZero();
        assertThat(outbox.purgeDone(T0.plusSeconds(1))).isEqualTo(1);
        assertThat(outbox.pending("decision-receipt")).extracting(StatementOutbox.Pending::id).containsExactly(waiting.id());
    }
}
