package io.kakehashi.ai.models.sql;

import io.kakehashi.ai.models.ModelRun;
import io.kakehashi.ai.models.ModelRunLedger;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.result.ServiceResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import static io.kakehashi.core.spi.sql.TransactionalDatabase.instant;
import static io.kakehashi.core.spi.sql.TransactionalDatabase.nanos;

/**
 * {@link ModelRunLedger} on PostgreSQL (table {@code kakehashi_model_run}, one row per run): the count that
 * {@code ai.inferenceRuns} is decided against survives a restart, is in the operator's database backups and is shared
 * by the connector's replicas. {@link #admit} is one transaction that first takes an advisory lock on the agreement,
 * then counts, decides and inserts, so the replicas decide one run of an agreement at a time and never admit more than
 * the limit together; the primary key (agreement, run number) refuses a second run of the same number in any case.
 * Thread-safe.
 */
public final class PostgresModelRunLedger implements ModelRunLedger {

    // first key of the two-key advisory lock; the second is the agreement id's hash
    private static final int LOCK_NAMESPACE = 0x4B484D52; // "KHMR"
    private static final String COLUMNS = "local_agreement_id, run, run_id, time_nanos, asset_id, model_sha256, state, row_count, predictions, reason, reported";

    private final TransactionalDatabase database;

    public PostgresModelRunLedger(TransactionalDatabase database) {
        this.database = database;
    }

    @Override
    public List<ModelRun> runs(String localAgreementId) {
        return select("", localAgreementId);
    }

    @Override
    public long admitted(String localAgreementId) {
        return database.inTransaction("cannot count the runs of agreement " + localAgreementId, connection -> admitted(connection, localAgreementId));
    }

    @Override
    public ServiceResult<ModelRun> admit(String localAgreementId, LongFunction<ServiceResult<ModelRun>> decide) {
        return database.inTransaction("cannot admit a run under agreement " + localAgreementId, connection -> {
            TransactionalDatabase.lock(connection, LOCK_NAMESPACE, localAgreementId);
            var soFar = admitted(connection, localAgreementId);
            var decided = decide.apply(soFar);
            if (decided.succeeded()) {
                var run = decided.getContent();
                if (!run.localAgreementId().equals(localAgreementId) || run.run() != soFar + 1) {
                    throw new IllegalArgumentException("run %d of agreement %s is not the next run (%d admitted)".formatted(run.run(), run.localAgreementId(), soFar));
                }
                try (var insert = connection.prepareStatement("INSERT INTO kakehashi_model_run (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bind(insert, run);
                    insert.executeUpdate();
                }
            }
            return decided;
        });
    }

    @Override
    public void write(ModelRun state) {
        database.inTransaction("cannot write run %d of agreement %s".formatted(state.run(), state.localAgreementId()), connection -> {
            // a report the vendor took stays taken, whatever copy of the run is written after
            try (var upsert = connection.prepareStatement("INSERT INTO kakehashi_model_run (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (local_agreement_id, run) DO UPDATE SET run_id = EXCLUDED.run_id, time_nanos = EXCLUDED.time_nanos, "
                    + "asset_id = EXCLUDED.asset_id, model_sha256 = EXCLUDED.model_sha256, state = EXCLUDED.state, row_count = EXCLUDED.row_count, "
                    + "predictions = EXCLUDED.predictions, reason = EXCLUDED.reason, reported = kakehashi_model_run.reported OR EXCLUDED.reported")) {
                bind(upsert, state);
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public List<ModelRun> unreported(String localAgreementId) {
        return select(" AND NOT reported", localAgreementId);
    }

    private static long admitted(Connection connection, String localAgreementId) throws SQLException {
        try (var count = connection.prepareStatement("SELECT count(*) FROM kakehashi_model_run WHERE local_agreement_id = ?")) {
            count.setString(1, localAgreementId);
            try (var rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private List<ModelRun> select(String condition, String localAgreementId) {
        return database.inTransaction("cannot read the runs of agreement " + localAgreementId, connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_model_run WHERE local_agreement_id = ?" + condition
                    + " ORDER BY run")) {
                select.setString(1, localAgreementId);
                try (var rows = select.executeQuery()) {
                    var runs = new ArrayList<ModelRun>();
                    while (rows.next()) {
                        runs.add(new ModelRun(rows.getString("local_agreement_id"), rows.getLong("run"), rows.getString("run_id"), instant(rows, "time_nanos"),
                                rows.getString("asset_id"), rows.getString("model_sha256"), ModelRun.State.valueOf(rows.getString("state")),
                                rows.getLong("row_count"), rows.getString("predictions"), rows.getString("reason"), rows.getBoolean("reported")));
                    }
                    return runs;
                }
            }
        });
    }

    private static void bind(PreparedStatement statement, ModelRun run) throws SQLException {
        TransactionalDatabase.bind(statement, run.localAgreementId(), run.run(), run.runId(), nanos(run.time()), run.assetId(), run.modelSha256(),
                run.state().name(), run.rows(), run.predictions(), run.reason(), run.reported());
    }
}
