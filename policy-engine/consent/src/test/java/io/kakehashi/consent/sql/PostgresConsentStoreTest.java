package io.kakehashi.consent.sql;

import io.kakehashi.consent.ConsentStore;
import io.kakehashi.consent.ConsentStoreTestBase;
import io.kakehashi.lineage.sql.LineageDatabase;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

@Tag("PostgresqlIntegrationTest")
class PostgresConsentStoreTest extends ConsentStoreTestBase {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "consent_store_test";

    private PostgresConsentStore store;

    private static PostgresConsentStore open() {
        var context = new LocalTransactionContext(new Monitor() { });
        var registry = new LocalDataSourceRegistry(context);
        registry.register(DataSourceRegistry.DEFAULT_DATASOURCE, POSTGRES.dataSource(DATABASE, SCHEMA));
        var opened = new PostgresConsentStore(new LineageDatabase(registry, DataSourceRegistry.DEFAULT_DATASOURCE, context));
        opened.createSchema();
        return opened;
    }

    @BeforeEach
    void database() {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        store = open();
    }

    @Override
    protected ConsentStore store() {
        return store;
    }

    @Override
    protected ConsentStore reopened() {
        return open();
    }
}
