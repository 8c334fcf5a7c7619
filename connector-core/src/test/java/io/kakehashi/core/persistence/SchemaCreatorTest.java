package io.kakehashi.core.persistence;

import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.sql.SqlQueryExecutor;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test against the PostgreSQL that CI provides (database {@code kakehashi_test} on 127.0.0.1:5432, user
 * postgres, unless {@code kakehashi.test.postgres.url} says otherwise), in a schema of its own.
 */
class SchemaCreatorTest {

    private static final String DATABASE_URL = System.getProperty("kakehashi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/") + "kakehashi_test";
    private static final String SCHEMA = "schema_creator_test";

    private SchemaCreator creator;

    @BeforeEach
    void emptySchema() throws SQLException {
        try (var connection = DriverManager.getConnection(DATABASE_URL, "postgres", null); var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
        }
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(DATABASE_URL + "?currentSchema=" + SCHEMA);
        dataSource.setUser("postgres");
        var transactions = new LocalTransactionContext(new Monitor() { });
        var registry = new LocalDataSourceRegistry(transactions);
        registry.register("default", dataSource);
        creator = new SchemaCreator(registry, "default", transactions, new SqlQueryExecutor());
    }

    @Test
    void create_shouldMakeTheTablesOfEveryStore() throws SQLException {
        assertThat(creator.create(PostgresStores.SCHEMA_RESOURCES).succeeded()).isTrue();

        assertThat(tables()).contains("edc_asset", "edc_contract_definitions", "edc_policydefinitions", "edc_contract_negotiation",
                "edc_contract_agreement", "edc_transfer_process", "edc_data_plane", "edc_lease", "edc_edr_entry", "edc_jti_validation");
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
        try (var connection = DriverManager.getConnection(DATABASE_URL, "postgres", null);
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
