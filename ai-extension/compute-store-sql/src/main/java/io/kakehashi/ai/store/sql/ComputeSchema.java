package io.kakehashi.ai.store.sql;

import io.kakehashi.core.spi.sql.TransactionalDatabase;

import java.util.List;

/**
 * Creates the compute tables (the provider's jobs, the ε charges, the consumer's jobs at providers and its federated trainings) if they are missing, in one transaction under an advisory lock so replicas that start
 * together do not race. Running it again changes nothing.
 */
public final class ComputeSchema {

    private static final long LOCK = 0x4B48_4149_0001L; // "KHAI" 1

    private static final List<String> STATEMENTS = List.of(
            """
            CREATE TABLE IF NOT EXISTS kakehashi_compute_job (
                id               TEXT PRIMARY KEY,
                agreement_id     TEXT NOT NULL,
                asset_id         TEXT NOT NULL,
                consumer_id      TEXT NOT NULL,
                type             TEXT NOT NULL,
                parameters       TEXT NOT NULL,
                description_hash TEXT NOT NULL,
                model_hash       TEXT,
                state            TEXT NOT NULL,
                progress         DOUBLE PRECISION NOT NULL,
                reason           TEXT,
                result_hash      TEXT,
                admitted         BOOLEAN NOT NULL,
                created_at_nanos BIGINT NOT NULL,
                updated_at_nanos BIGINT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS kakehashi_compute_job_agreement ON kakehashi_compute_job (agreement_id, created_at_nanos)",
            // the restart recovery reads only these
            "CREATE INDEX IF NOT EXISTS kakehashi_compute_job_unfinished ON kakehashi_compute_job (created_at_nanos) WHERE state IN ('QUEUED', 'RUNNING')",
            """
            CREATE TABLE IF NOT EXISTS kakehashi_epsilon_charge (
                agreement_id     TEXT NOT NULL,
                charge_id        TEXT NOT NULL,
                epsilon          DOUBLE PRECISION NOT NULL,
                charged_at_nanos BIGINT NOT NULL,
                PRIMARY KEY (agreement_id, charge_id)
            )""",
            // the consumer's side: jobs this connector asked providers to run
            """
            CREATE TABLE IF NOT EXISTS kakehashi_compute_remote_job (
                id                    TEXT PRIMARY KEY,
                agreement_id          TEXT NOT NULL,
                asset_id              TEXT NOT NULL,
                provider_id           TEXT NOT NULL,
                counter_party_address TEXT NOT NULL,
                type                  TEXT NOT NULL,
                parameters            TEXT NOT NULL,
                description_hash      TEXT NOT NULL,
                model_hash            TEXT,
                state                 TEXT NOT NULL,
                progress              DOUBLE PRECISION NOT NULL,
                reason                TEXT,
                provider_job_id       TEXT,
                result_hash           TEXT,
                result_sha256         TEXT,
                created_at_nanos      BIGINT NOT NULL,
                updated_at_nanos      BIGINT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS kakehashi_compute_remote_job_agreement ON kakehashi_compute_remote_job (agreement_id, created_at_nanos)",
            // the stall check reads only these; finished jobs (almost all of them, in time) stay out of the index
            """
            CREATE TABLE IF NOT EXISTS kakehashi_compute_remote_training (
                id                TEXT PRIMARY KEY,
                state             TEXT NOT NULL,
                document          TEXT NOT NULL,
                created_at_nanos  BIGINT NOT NULL,
                updated_at_nanos  BIGINT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS kakehashi_compute_remote_job_unfinished ON kakehashi_compute_remote_job (created_at_nanos)"
                    + " WHERE state IN ('QUEUED', 'RUNNING')");

    private ComputeSchema() {
    }

    /**
     * @throws org.eclipse.edc.spi.persistence.EdcPersistenceException when the database refuses; nothing is created then
     */
    public static void create(TransactionalDatabase database) {
        database.createSchema("the compute tables", LOCK, STATEMENTS);
    }
}
