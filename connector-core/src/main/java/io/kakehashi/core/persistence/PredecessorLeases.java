package io.kakehashi.core.persistence;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.SQLException;
import java.time.Clock;

/**
 * Releases, at start, the leases that the previous run of this replica left in EDC's lease table. EDC 0.15.1 leases
 * the negotiations, transfers and data flows it works on for 60 s under its runtime id, which is new at every start
 * ({@code edc.runtime.id} is ignored); a process killed while it held a lease leaves it behind, and nothing moves that
 * entity until it expires (a PUSH flow skipped by EDC's start-up restart of interrupted flows waits for EDC's later
 * pick-up of abandoned flows, a negotiation waits for its next step). The replica id ({@code kakehashi.replica.id}, fixed per replica) names the process
 * across restarts: {@code kakehashi_replica_run} keeps the runtime id of its last run, and at start, before any
 * state machine runs, every lease held under that runtime id is the dead run's. Other replicas' leases stay.
 */
final class PredecessorLeases {

    private final DataSourceRegistry registry;
    private final String dataSource;
    private final TransactionContext trx;
    private final QueryExecutor executor;
    private final Clock clock;

    PredecessorLeases(DataSourceRegistry registry, String dataSource, TransactionContext trx, QueryExecutor executor, Clock clock) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.trx = trx;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Records {@code runtimeId} as the replica's current run and deletes every lease its previous run held; none
     * when the tables do not exist (a schema owned by a migration tool that has not created them).
     *
     * @return how many leases were released
     */
    int release(String replicaId, String runtimeId) {
        var ds = registry.resolve(dataSource);
        if (ds == null) {
            throw new EdcPersistenceException("no datasource '%s' is configured (edc.datasource.%s.url)".formatted(dataSource, dataSource));
        }
        return trx.execute(() -> {
            try (var connection = ds.getConnection()) {
                var tables = executor.single(connection, false, rows -> rows.getBoolean(1),
                        "SELECT to_regclass('edc_lease') IS NOT NULL AND to_regclass('kakehashi_replica_run') IS NOT NULL");
                if (!Boolean.TRUE.equals(tables)) {
                    return 0;
                }
                // the row lock keeps two starts of one replica (a misconfiguration) from interleaving here
                var previous = executor.single(connection, false, rows -> rows.getString(1),
                        "SELECT runtime_id FROM kakehashi_replica_run WHERE replica_id = ? FOR UPDATE", replicaId);
                var released = previous == null || previous.equals(runtimeId) ? 0
                        : executor.execute(connection, "DELETE FROM edc_lease WHERE leased_by = ?", previous);
                executor.execute(connection, "INSERT INTO kakehashi_replica_run (replica_id, runtime_id, started_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (replica_id) DO UPDATE SET runtime_id = EXCLUDED.runtime_id, started_at = EXCLUDED.started_at",
                        replicaId, runtimeId, clock.millis());
                return released;
            } catch (SQLException e) {
                throw new EdcPersistenceException(e);
            }
        });
    }
}
