package io.kakehashi.lineage.sql;

import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.lineage.LineageRecord;
import io.kakehashi.lineage.LineageStore;
import io.kakehashi.lineage.LineageStoreTestBaseAccess;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("PostgresqlIntegrationTest")
class PostgresLineageStoreTest extends LineageStoreTestBaseAccess {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "lineage_store_test";

    private PostgresLineageStore store;

    private static PostgresLineageStore open() {
        var opened = new PostgresLineageStore(POSTGRES.transactionalDatabase(DATABASE, SCHEMA));
        opened.createSchema();
        return opened;
    }

    @BeforeEach
    void database() {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        store = open();
    }

    @Override
    protected LineageStore store() {
        return store;
    }

    @Test
    void aRecord_shouldReadBackExactlyAfterARestart() {
        var record = new LineageRecord("job-7", LineageKind.MODEL, "agreement-9", "did:web:maker", "machine-data", "/results/job-7.json",
                "cd".repeat(32), Instant.parse("2026-12-07T03:00:00.987654321Z"));
        store.save(record);

        var restarted = open();

        assertThat(restarted.findById("job-7")).contains(record);
        assertThat(restarted.findByAgreement("agreement-9")).containsExactly(record);
    }
}
