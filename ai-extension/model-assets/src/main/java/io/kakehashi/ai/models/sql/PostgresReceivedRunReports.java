package io.kakehashi.ai.models.sql;

import io.kakehashi.ai.models.ReceivedRunReport;
import io.kakehashi.ai.models.ReceivedRunReports;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.result.ServiceResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.kakehashi.core.spi.sql.TransactionalDatabase.instant;
import static io.kakehashi.core.spi.sql.TransactionalDatabase.nanos;

/**
 * {@link ReceivedRunReports} on PostgreSQL (table {@code kakehashi_model_run_report}, one row per agreement and run):
 * the vendor's evidence of the holders' runs survives a restart, is in the database backups and is shared by the
 * replicas. {@link #next} is one transaction that first takes an advisory lock on the agreement, so a report is
 * decided against the reports every replica kept before it; the primary key (agreement, run) refuses a second report
 * of the same run in any case. Thread-safe.
 */
public final class PostgresReceivedRunReports implements ReceivedRunReports {

    private static final int LOCK_NAMESPACE = 0x4B484D50; // "KHMP"
    private static final String COLUMNS = "agreement_id, local_agreement_id, holder_id, run, run_id, time_nanos, model_sha256, received_at_nanos, "
            + "beyond_limit, report";

    private final TransactionalDatabase database;

    public PostgresReceivedRunReports(TransactionalDatabase database) {
        this.database = database;
    }

    @Override
    public List<ReceivedRunReport> of(String agreementId) {
        return database.inTransaction("cannot read the run reports of agreement " + agreementId, connection -> of(connection, agreementId));
    }

    @Override
    public List<String> agreements() {
        return database.inTransaction("cannot read the run reports", connection -> {
            try (var select = connection.prepareStatement("SELECT DISTINCT agreement_id FROM kakehashi_model_run_report ORDER BY agreement_id");
                 var rows = select.executeQuery()) {
                var ids = new ArrayList<String>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        });
    }

    @Override
    public ServiceResult<ReceivedRunReport> next(String agreementId, Function<List<ReceivedRunReport>, ServiceResult<ReceivedRunReport>> decide) {
        return database.inTransaction("cannot keep a run report of agreement " + agreementId, connection -> {
            TransactionalDatabase.lock(connection, LOCK_NAMESPACE, agreementId);
            var kept = of(connection, agreementId);
            var decided = decide.apply(kept);
            if (decided.succeeded() && decided.getContent().run() == kept.size() + 1) {
                var r = decided.getContent();
                if (!agreementId.equals(r.agreementId())) {
                    throw new IllegalArgumentException("a report of agreement %s is not kept under %s".formatted(r.agreementId(), agreementId));
                }
                try (var insert = connection.prepareStatement("INSERT INTO kakehashi_model_run_report (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    TransactionalDatabase.bind(insert, r.agreementId(), r.localAgreementId(), r.holderId(), r.run(), r.runId(), nanos(r.time()),
                            r.modelSha256(), nanos(r.receivedAt()), r.beyondLimit(), r.report());
                    insert.executeUpdate();
                }
            }
            return decided;
        });
    }

    private static List<ReceivedRunReport> of(Connection connection, String agreementId) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_model_run_report WHERE agreement_id = ? ORDER BY run")) {
            select.setString(1, agreementId);
            try (var rows = select.executeQuery()) {
                var reports = new ArrayList<ReceivedRunReport>();
                while (rows.next()) {
                    reports.add(new ReceivedRunReport(rows.getString("agreement_id"), rows.getString("local_agreement_id"), rows.getString("holder_id"),
                            rows.getLong("run"), rows.getString("run_id"), instant(rows, "time_nanos"), rows.getString("model_sha256"),
                            instant(rows, "received_at_nanos"), rows.getBoolean("beyond_limit"), rows.getString("report")));
                }
                return reports;
            }
        }
    }
}
