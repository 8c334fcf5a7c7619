package io.kakehashi.core.outbox;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The outbox's table and index, created if absent in the data source's current schema. One SQL string, so that it
 * runs as one transaction on a connection that commits each statement and inside the caller's transaction
 * otherwise; a transaction-scoped advisory lock keeps replicas starting together from racing on
 * {@code CREATE … IF NOT EXISTS}.
 */
public final class OutboxSchema {

    private static final String DDL = """
            SELECT pg_advisory_xact_lock(hashtext('kakehashi_statement_outbox'), hashtext(current_schema()));
            CREATE TABLE IF NOT EXISTS kakehashi_statement_outbox (
                id            VARCHAR(64) PRIMARY KEY,
                kind          VARCHAR(64) NOT NULL,
                address       TEXT        NOT NULL,
                statement     TEXT        NOT NULL,
                created_at    BIGINT      NOT NULL,
                attempts      INTEGER     NOT NULL DEFAULT 0,
                due_at        BIGINT      NOT NULL,
                claimed_by    VARCHAR(64),
                claimed_until BIGINT,
                done_at       BIGINT,
                outcome       VARCHAR(16),
                detail        TEXT
            );
            CREATE INDEX IF NOT EXISTS kakehashi_statement_outbox_waiting ON kakehashi_statement_outbox (kind, due_at) WHERE done_at IS NULL;
            """;

    private OutboxSchema() {
    }

    /**
     * Creates the table and index if they are missing.
     *
     * @throws EdcPersistenceException when the database refuses
     */
    public static void create(DataSource dataSource) {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(DDL);
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot create the outbox table: " + e.getMessage(), e);
        }
    }
}
