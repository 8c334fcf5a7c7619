package io.kakehashi.ai.store.sql;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Where the compute tables are, and how they are reached: one of EDC's named data sources, used only inside EDC's
 * transactions, as EDC's own SQL stores do. EDC's local transaction manager hands out connections enlisted in the
 * current transaction (it refuses {@code setAutoCommit}, {@code commit} and {@code rollback} on them and closes them
 * itself), so each unit of work here is one {@link TransactionContext#execute} — joining the caller's transaction if
 * there is one — and commits when it returns or rolls back when it throws. The data source is looked up on each use,
 * because EDC's pool registers it during start-up, after the stores are built. Thread-safe.
 */
public final class ComputeDatabase {

    private final DataSourceRegistry registry;
    private final String dataSourceName;
    private final TransactionContext transactions;

    /**
     * @param registry       EDC's data source registry
     * @param dataSourceName the data source's name, e.g. {@link DataSourceRegistry#DEFAULT_DATASOURCE}
     * @param transactions   EDC's transaction context, which owns the connections' transactions
     */
    public ComputeDatabase(DataSourceRegistry registry, String dataSourceName, TransactionContext transactions) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.dataSourceName = Objects.requireNonNull(dataSourceName, "dataSourceName");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * A unit of work on the transaction's connection; it must neither commit, roll back nor change auto-commit.
     */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in an EDC transaction: committed when it returns, rolled back when it throws.
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
