package io.kakehashi.ai.store.sql;

import org.postgresql.ds.PGSimpleDataSource;

import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The PostgreSQL that CI provides (database {@code kakehashi_test} on 127.0.0.1:5432, user postgres, trust auth),
 * unless {@code kakehashi.test.postgres.url} says otherwise; each test class works in a schema of its own.
 * Unreachable means the test fails, never that it is skipped.
 */
final class ComputeTestDatabase {

    static final String DATABASE_URL = System.getProperty("kakehashi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/") + "kakehashi_test";

    private ComputeTestDatabase() {
    }

    static DataSource freshSchema(String schema) throws SQLException {
        try (var connection = DriverManager.getConnection(DATABASE_URL, "postgres", null); var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(DATABASE_URL + "?currentSchema=" + schema);
        dataSource.setUser("postgres");
        ComputeSchema.create(dataSource);
        return dataSource;
    }
}
