package io.kakehashi.ai.models.sql;

import io.kakehashi.core.spi.sql.TransactionalDatabase;

import java.util.List;

/**
 * The tables of models as assets on PostgreSQL: the holder's run ledger ({@code kakehashi_model_run}) and the vendor's
 * kept run reports ({@code kakehashi_model_run_report}), created if missing. Times are kept as nanoseconds since the
 * epoch ({@link TransactionalDatabase#nanos}), so a run reads back exactly as it was written. Stateless and thread-safe.
 */
public final class ModelAssetsTables {

    private static final long LOCK = 0x4B48_4D41_0001L; // "KHMA" 1
    private static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE IF NOT EXISTS kakehashi_model_run (
                local_agreement_id TEXT NOT NULL,
                run                BIGINT NOT NULL,
                run_id             TEXT NOT NULL,
                time_nanos         BIGINT NOT NULL,
                asset_id           TEXT,
                model_sha256       TEXT,
                state              TEXT NOT NULL,
                row_count          BIGINT NOT NULL,
                predictions        TEXT,
                reason             TEXT,
                reported           BOOLEAN NOT NULL,
                PRIMARY KEY (local_agreement_id, run)
            )""",
            // the delivery rounds read only the runs whose report the vendor has not taken
            "CREATE INDEX IF NOT EXISTS kakehashi_model_run_unreported ON kakehashi_model_run (local_agreement_id, run) WHERE NOT reported",
            """
            CREATE TABLE IF NOT EXISTS kakehashi_model_run_report (
                agreement_id       TEXT NOT NULL,
                run                BIGINT NOT NULL,
                local_agreement_id TEXT,
                holder_id          TEXT,
                run_id             TEXT,
                time_nanos         BIGINT,
                model_sha256       TEXT,
                received_at_nanos  BIGINT,
                beyond_limit       BOOLEAN NOT NULL,
                report             TEXT NOT NULL,
                PRIMARY KEY (agreement_id, run)
            )""");

    private ModelAssetsTables() {
    }

    /** Creates the tables if they are missing; replicas that start together do not race. */
    public static void create(TransactionalDatabase database) {
        database.createSchema("the model run tables", LOCK, SCHEMA);
    }
}
