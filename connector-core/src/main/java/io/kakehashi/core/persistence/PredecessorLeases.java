package io.kakehashi.core.persistence;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.SQLException;

/**
 * Releases, at start, the leases that an earlier run of this process left in EDC's lease table. EDC leases the
 * negotiations, transfers and data flows it works on under the runtime id ({@code edc.runtime.id}) for 60 s; a
 * process killed while it held one leaves the lease behind, and EDC treats its own name's lease like a stranger's
 * until it expires. Meanwhile nothing moves that entity, and EDC's start-up restart of interrupted PUSH flows, which
 * runs once, skips the flow for good. Each replica has a runtime id of its own, so at start every lease under that
 * id is a dead predecessor's.
 */
final class PredecessorLeases {

    private final DataSourceRegistry registry;
    private final String dataSource;
    private final TransactionContext trx;
    private final QueryExecutor executor;

    PredecessorLeases(DataSourceRegistry registry, String dataSource, TransactionContext trx, QueryExecutor executor) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.trx = trx;
        this.executor = executor;
    }

    /**
     * Deletes every lease held under the runtime id; none when the lease table does not exist yet.
     *
     * @return how many were released
     */
    int release(String runtimeId) {
        var ds = registry.resolve(dataSource);
        if (ds == null) {
            throw new EdcPersistenceException("no datasource '%s' is configured (edc.datasource.%s.url)".formatted(dataSource, dataSource));
        }
        return trx.execute(() -> {
            try (var connection = ds.getConnection()) {
                var exists = executor.single(connection, false, rows -> rows.getBoolean(1), "SELECT to_regclass('edc_lease') IS NOT NULL");
                if (!Boolean.TRUE.equals(exists)) {
                    return 0;
                }
                return executor.execute(connection, "DELETE FROM edc_lease WHERE leased_by = ?", runtimeId);
            } catch (SQLException e) {
                throw new EdcPersistenceException(e);
            }
        });
    }
}
