package io.kakehashi.core.persistence;

import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.junit.annotations.PostgresqlIntegrationTest;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.sql.SqlQueryExecutor;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test against the tests' PostgreSQL ({@link PostgresTestServer}: the configured server, or an embedded
 * one), in a schema of its own.
 */
@PostgresqlIntegrationTest
class SchemaCreatorTest {

    private static final String SCHEMA = "schema_creator_test";

    private final PostgresTestServer postgres = PostgresTestServer.get();
    private final String database = postgres.testDatabase();

    private SchemaCreator creator;

    @BeforeEach
    void emptySchema() {
        postgres.recreateSchema(database, SCHEMA);
        var dataSource = postgres.dataSource(database, SCHEMA);
        var transactions = new LocalTransactionContext(new Monitor() { });
        var registry = new LocalDataSourceRegistry(transactions);
        registry.register("default", dataSource);
        creator = new SchemaCreator(registry, "default", transactions, new SqlQueryExecutor());
    }

    @Test
    void create_shouldMakeTheTablesOfEveryStore() throws SQLException {
        assertThat(creator.create(PostgresStores.SCHEMA_RESOURCES).succeeded()).isTrue();

        assertThat(tables()).contains("edc_asset", "edc_contract_definitions", "edc_policydefinitions", "edc_contract_negotiation",
                "edc_contract_agreement", "edc_transfer_process", "edc_data_plane", "edc_lease", "edc_edr_entry", "edc_jti_validation", "kakehashi_replica_run");
    }

    @Test
    void create_whenRunAgain_shouldSucceedAndChangeNothing() throws SQLException {
        creator.create(PostgresStores.SCHEMA_RESOURCES);
        var before = tables();

        assertThat(creator.create(PostgresStores.SCHEMA_RESOURCES).succeeded()).isTrue();
        assertThat(tables()).isEqualTo(before);
    }

    @Test
    void create_whenAFileIsMissing_shouldFailNamingItAndLeaveNoTableBehind() throws SQLException {
        var result = creator.create(List.of("asset-index-schema.sql", "no-such-schema.sql"));

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("no-such-schema.sql");
        assertThat(tables()).isEmpty();
    }

    @Test
    void create_whenAStatementFails_shouldRollEverythingBack() throws SQLException {
        var result = creator.create(List.of("asset-index-schema.sql", "broken-schema.sql"));

        assertThat(result.failed()).isTrue();
        assertThat(tables()).isEmpty();
    }

    private List<String> tables() throws SQLException {
        try (var connection = postgres.connect(database);
             var statement = connection.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1")) {
            statement.setString(1, SCHEMA);
            var names = new java.util.ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }
}
