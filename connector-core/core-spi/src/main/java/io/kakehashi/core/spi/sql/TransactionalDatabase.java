package io.kakehashi.core.spi.sql;

import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.system.configuration.Config;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an area's own PostgreSQL tables are and how they are reached: one of EDC's named data sources, used only
 * inside EDC's transactions, as EDC's own SQL stores do. EDC's local transaction manager hands out connections enlisted
 * in the current transaction (it refuses {@code setAutoCommit}, {@code commit} and {@code rollback} on them and closes
 * them itself), so each unit of work is one {@link TransactionContext#execute} — joining the caller's transaction if
 * there is one — committed when it returns and rolled back when it throws. The data source is looked up on each use,
 * because EDC's pool registers it during start-up, after the stores are built. Thread-safe.
 *
 * @param registry       EDC's data source registry
 * @param dataSourceName the data source's name, e.g. {@link DataSourceRegistry#DEFAULT_DATASOURCE}
 * @param transactions   EDC's transaction context, which owns the connections' transactions
 */
public record TransactionalDatabase(DataSourceRegistry registry, String dataSourceName, TransactionContext transactions) {

    /**
     * The setting that puts an area's tables in PostgreSQL: the URL of EDC's default data source. Unset, each area keeps
     * its embedded default (files or memory).
     */
    public static final String DEFAULT_DATASOURCE_URL = "edc.datasource.default.url";

    public TransactionalDatabase {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(dataSourceName, "dataSourceName");
        Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * EDC's default data source when the connector has one ({@value #DEFAULT_DATASOURCE_URL} set), else empty: the area
     * keeps its embedded default.
     *
     * @param area names the area in the error, e.g. "Deletion"
     * @throws EdcException when the URL is set but the runtime has no data source registry or transaction context
     */
    public static Optional<TransactionalDatabase> ofDefaultDataSource(Config config, DataSourceRegistry registry, TransactionContext transactions,
                                                                      String area) {
        var url = config.getString(DEFAULT_DATASOURCE_URL, null);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        if (registry == null || transactions == null) {
            throw new EdcException("%s: '%s' is set but the runtime has no data source registry or transaction context".formatted(area, DEFAULT_DATASOURCE_URL));
        }
        return Optional.of(new TransactionalDatabase(registry, DataSourceRegistry.DEFAULT_DATASOURCE, transactions));
    }

    /** A unit of work on the transaction's connection; it must neither commit, roll back nor change auto-commit. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in an EDC transaction: committed when it returns, rolled back when it throws.
     *
     * @param what what the work does, for the message of a refusal ("cannot store ...")
     * @throws EdcPersistenceException when the database refuses (the {@link SQLException} is its cause)
     */
    public <T> T inTransaction(String what, Work<T> work) {
        return transactions.execute(() -> {
            var dataSource = registry.resolve(dataSourceName);
            if (dataSource == null) {
                throw new EdcPersistenceException("no data source named '%s' is registered".formatted(dataSourceName));
            }
            try (var connection = dataSource.getConnection()) {
                return work.run(connection);
            } catch (SQLException e) {
                throw new EdcPersistenceException("%s: %s".formatted(what, e.getMessage()), e);
            }
        });
    }

    /**
     * Runs DDL that creates what is missing ({@code CREATE ... IF NOT EXISTS}), all or nothing, under a
     * transaction-scoped advisory lock so that replicas starting together do not race on the catalog. Running it again
     * changes nothing.
     *
     * @param what       the tables, for the message of a refusal ("the deletion tables")
     * @param lock       the advisory lock's key; one per area
     * @param statements the DDL, in order
     * @throws EdcPersistenceException when the database refuses; nothing is created then
     */
    public void createSchema(String what, long lock, List<String> statements) {
        inTransaction("cannot create " + what, connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + lock + ")");
                for (var sql : statements) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }

    /**
     * Takes a transaction-scoped advisory lock named by text (an agreement's id, say) within an area's namespace: every
     * connection to the database that asks for the same key waits until this transaction ends. Call it inside
     * {@link #inTransaction}.
     */
    public static void lock(Connection connection, int namespace, String key) throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, namespace);
            lock.setString(2, key);
            lock.execute();
        }
    }

    /**
     * Binds the statement's parameters in order: text, whole numbers and truth values as they are, null as SQL NULL
     * (its type taken from where it goes).
     */
    public static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (var i = 0; i < values.length; i++) {
            if (values[i] == null) {
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, values[i]);
            }
        }
    }

    /** An instant as nanoseconds since the epoch, the form a {@code BIGINT} column keeps exactly; null for null. */
    public static Long nanos(Instant instant) {
        return instant == null ? null : Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** The instant a {@code BIGINT} column of nanoseconds since the epoch holds; null for SQL NULL. */
    public static Instant instant(ResultSet rows, String column) throws SQLException {
        var nanos = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
