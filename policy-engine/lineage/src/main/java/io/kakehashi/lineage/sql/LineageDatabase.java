package io.kakehashi.lineage.sql;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The lineage table's data source: one of EDC's named data sources, used only inside EDC's transactions (whose
 * connections refuse {@code setAutoCommit}, {@code commit} and {@code rollback}), each unit of work one
 * {@link TransactionContext#execute}. The data source is looked up on each use, because EDC's pool registers it
 * during start-up, after the store is built. Thread-safe.
 */
public final class LineageDatabase {

    private final DataSourceRegistry registry;
    private final String dataSourceName;
    private final TransactionContext transactions;

    public LineageDatabase(DataSourceRegistry registry, String dataSourceName, TransactionContext transactions) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.dataSourceName = Objects.requireNonNull(dataSourceName, "dataSourceName");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /** A unit of work on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in an EDC transaction.
     *
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
}
