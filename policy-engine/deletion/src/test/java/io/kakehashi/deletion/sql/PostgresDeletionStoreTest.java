package io.kakehashi.deletion.sql;

import io.kakehashi.deletion.DeletionStore;
import io.kakehashi.deletion.DeletionStoreTestBase;
import io.kakehashi.testfixtures.PostgresTestSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The contract on PostgreSQL, in a database of this class's own; every {@link #open} is another replica on it. */
@Tag("PostgresqlIntegrationTest")
class PostgresDeletionStoreTest extends DeletionStoreTestBase {

    private static final PostgresTestSchema SCHEMA = PostgresTestSchema.inOwnDatabase("kakehashi_deletion_store_test", "deletion");

    @BeforeEach
    void emptySchema() {
        SCHEMA.empty();
    }

    @Override
    protected DeletionStore open() {
        var store = new PostgresDeletionStore(SCHEMA.replica());
        store.createSchema();
        return store;
    }
}
