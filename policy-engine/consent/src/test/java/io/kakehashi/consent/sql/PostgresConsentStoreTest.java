package io.kakehashi.consent.sql;

import io.kakehashi.consent.ConsentStore;
import io.kakehashi.consent.ConsentStoreTestBase;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

@Tag("PostgresqlIntegrationTest")
class PostgresConsentStoreTest extends ConsentStoreTestBase {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "consent_store_test";

    private PostgresConsentStore store;

    private static PostgresConsentStore open() {
        var opened = new PostgresConsentStore(POSTGRES.transactionalDatabase(DATABASE, SCHEMA));
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
