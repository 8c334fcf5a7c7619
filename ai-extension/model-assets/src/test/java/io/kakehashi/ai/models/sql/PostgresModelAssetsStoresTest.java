package io.kakehashi.ai.models.sql;

import io.kakehashi.ai.models.ModelRunLedger;
import io.kakehashi.ai.models.ModelRunLedgerTestBase;
import io.kakehashi.ai.models.ReceivedRunReports;
import io.kakehashi.ai.models.ReceivedRunReportsTestBase;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.testfixtures.PostgresTestSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

/** The run ledger's and the run reports' contracts on PostgreSQL, in a database of this class's own; every open is another replica. */
@Tag("PostgresqlIntegrationTest")
class PostgresModelAssetsStoresTest {

    private static final PostgresTestSchema SCHEMA = PostgresTestSchema.inOwnDatabase("kakehashi_model_assets_test", "models");

    @BeforeEach
    void emptySchema() {
        SCHEMA.empty();
    }

    private static TransactionalDatabase withTables() {
        var database = SCHEMA.replica();
        ModelAssetsTables.create(database);
        return database;
    }

    @Nested
    class Ledger extends ModelRunLedgerTestBase {
        @Override
        protected ModelRunLedger open() {
            return new PostgresModelRunLedger(withTables());
        }
    }

    @Nested
    class Reports extends ReceivedRunReportsTestBase {
        @Override
        protected ReceivedRunReports open() {
            return new PostgresReceivedRunReports(withTables());
        }
    }
}
