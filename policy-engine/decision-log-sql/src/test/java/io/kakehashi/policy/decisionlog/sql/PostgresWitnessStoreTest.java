package io.kakehashi.policy.decisionlog.sql;

import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("PostgresqlIntegrationTest")
class PostgresWitnessStoreTest {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "decision_witness_store_test";

    @BeforeEach
    void emptySchema() throws SQLException {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        DecisionLogSchema.create(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        POSTGRES.dropSchema(DATABASE, SCHEMA);
    }

    @Test
    void save_shouldKeepRecordsInOrderForAnotherReplica_andTheFirstOfTwoEqualOnes() {
        var store = new PostgresWitnessStore(POSTGRES.dataSource(DATABASE, SCHEMA));
        var witnessed = new WitnessRecord(Kind.WITNESSED, "http://127.0.0.1:1/protocol", 10, "ab".repeat(32), "h.e.ad",
                "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"x\",\"y\":\"y\"}", "co.sig.nature", null, Instant.parse("2026-12-07T00:00:00Z"), null);
        var conflict = new WitnessRecord(Kind.CONFLICT, "http://127.0.0.1:1/protocol", 15, "cd".repeat(32), "new.he.ad", null, null,
                "h.e.ad", Instant.parse("2026-12-07T00:01:00Z"), "does not extend");
        store.save(witnessed);
        store.save(conflict);
        store.save(witnessed);

        var replica = new PostgresWitnessStore(POSTGRES.dataSource(DATABASE, SCHEMA));
        assertThat(replica.all()).containsExactly(witnessed, conflict);
    }
}
