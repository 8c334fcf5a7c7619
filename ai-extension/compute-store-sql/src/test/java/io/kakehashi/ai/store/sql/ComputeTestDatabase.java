package io.kakehashi.ai.store.sql;

import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL that CI provides (database {@code kakehashi_test} on 127.0.0.1:5432, user postgres, trust auth),
 * unless {@code kakehashi.test.postgres.url} says otherwise; each test class works in a schema of its own.
 * Unreachable means the test fails, never that it is skipped.
 *
 * <p>The stores reach it as they do in the connector: through EDC's local transaction manager and data source
 * registry, whose connections refuse {@code setAutoCommit}, {@code commit} and {@code rollback}.
 */
final class ComputeTestDatabase {

    static final String DATABASE_URL = System.getProperty("kakehashi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/") + "kakehashi_test";

    final TransactionContext transactions;
    final ComputeDatabase database;

    private ComputeTestDatabase(String schema) {
        var context = new LocalTransactionContext(new Monitor() { });
        var registry = new LocalDataSourceRegistry(context);
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(DATABASE_URL + "?currentSchema=" + schema);
        dataSource.setUser("postgres");
        registry.register(DataSourceRegistry.DEFAULT_DATASOURCE, dataSource);
        transactions = context;
        database = new ComputeDatabase(registry, DataSourceRegistry.DEFAULT_DATASOURCE, context);
    }

    /**
     * An empty schema with the compute tables.
     */
    static ComputeTestDatabase freshSchema(String schema) throws SQLException {
        try (var connection = DriverManager.getConnection(DATABASE_URL, "postgres", null); var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
        var test = new ComputeTestDatabase(schema);
        ComputeSchema.create(test.database);
        return test;
    }

    /**
     * A second connector on the same schema: its own transaction manager and registry, as after a restart.
     */
    static ComputeTestDatabase reopen(String schema) {
        return new ComputeTestDatabase(schema);
    }
}
