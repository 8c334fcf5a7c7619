package io.kakehashi.policy.decisionlog.sql;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The decision log's tables and indexes, created if absent in the data source's current schema, all or nothing;
 * columns added in later versions are added to tables made by earlier ones ({@code ADD COLUMN IF NOT EXISTS}), so
 * creating is also migrating, and running it again changes nothing.
 * Also holds the advisory lock that serialises appends (and schema creation) across every process sharing the
 * database. Stateless and thread-safe.
 */
public final class DecisionLogSchema {

    static final String RESOURCE = "decision-log-schema.sql";
    // first key of the two-key advisory lock; the second is the schema's hash, so two logs in two schemas of one
    // database do not wait for each other
    private static final int LOCK_NAMESPACE = 0x6B6B6864;

    private DecisionLogSchema() {
    }

    /**
     * Creates the tables and indexes that are missing.
     *
     * @throws EdcPersistenceException when the database refuses
     */
    public static void create(DataSource dataSource) {
        String ddl;
        try (var in = DecisionLogSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new EdcPersistenceException("missing resource " + RESOURCE);
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EdcPersistenceException("cannot read " + RESOURCE, e);
        }
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                // replicas starting together would otherwise race on CREATE ... IF NOT EXISTS
                lock(connection);
                for (var sql : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot create the decision log schema: " + e.getMessage(), e);
        }
    }

    /**
     * Takes the log's transaction-scoped advisory lock; released at commit or rollback.
     */
    static void lock(Connection connection) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))")) {
            statement.setInt(1, LOCK_NAMESPACE);
            statement.execute();
        }
    }
}
