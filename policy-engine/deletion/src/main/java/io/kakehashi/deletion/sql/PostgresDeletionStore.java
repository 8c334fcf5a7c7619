package io.kakehashi.deletion.sql;

import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.deletion.DeletionRecord;
import io.kakehashi.deletion.DeletionStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.kakehashi.core.spi.sql.TransactionalDatabase.instant;
import static io.kakehashi.core.spi.sql.TransactionalDatabase.nanos;

/**
 * {@link DeletionStore} on PostgreSQL (table {@code kakehashi_deletion}, one row per role and agreement): the receipts
 * a consumer signed and a provider kept survive a restart, are in the operator's database backups and are shared by
 * the connector's replicas, so a provider's {@code OVERDUE} turns {@code CONFIRMED} on every replica once any of them
 * kept the receipt. Each call is one EDC transaction; {@link #keep} is one {@code INSERT ... ON CONFLICT DO NOTHING},
 * so of two replicas keeping a receipt for the same agreement at once exactly one gets in. Times are kept as
 * nanoseconds since the epoch; {@code seq} keeps the order first written. Thread-safe.
 */
public final class PostgresDeletionStore implements DeletionStore {

    private static final long LOCK = 0x4B48_444C_0001L; // "KHDL" 1
    private static final String COLUMNS = "role, agreement_id, protocol_agreement_id, counterparty_id, asset_id, receipt, receipt_sha256, "
            + "deleted_at_nanos, recorded_at_nanos, delivery, detail";
    private static final String INSERT = "INSERT INTO kakehashi_deletion (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ";
    private static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE IF NOT EXISTS kakehashi_deletion (
                role                  TEXT NOT NULL,
                agreement_id          TEXT NOT NULL,
                protocol_agreement_id TEXT,
                counterparty_id       TEXT,
                asset_id              TEXT,
                receipt               TEXT NOT NULL,
                receipt_sha256        TEXT,
                deleted_at_nanos      BIGINT,
                recorded_at_nanos     BIGINT,
                delivery              TEXT NOT NULL,
                detail                TEXT,
                seq                   BIGSERIAL NOT NULL,
                PRIMARY KEY (role, agreement_id)
            )""",
            // the consumer's check reads the receipts still to deliver on every round
            "CREATE INDEX IF NOT EXISTS kakehashi_deletion_pending ON kakehashi_deletion (seq) WHERE delivery = 'PENDING'");

    private final TransactionalDatabase database;

    public PostgresDeletionStore(TransactionalDatabase database) {
        this.database = database;
    }

    /** Creates the table if it is missing; replicas that start together do not race. */
    public void createSchema() {
        database.createSchema("the deletion table", LOCK, SCHEMA);
    }

    @Override
    public void save(DeletionRecord record) {
        database.inTransaction("cannot store the deletion record of agreement " + record.agreementId(), connection -> {
            try (var upsert = connection.prepareStatement(INSERT + "ON CONFLICT (role, agreement_id) DO UPDATE SET "
                    + "protocol_agreement_id = EXCLUDED.protocol_agreement_id, counterparty_id = EXCLUDED.counterparty_id, asset_id = EXCLUDED.asset_id, "
                    + "receipt = EXCLUDED.receipt, receipt_sha256 = EXCLUDED.receipt_sha256, deleted_at_nanos = EXCLUDED.deleted_at_nanos, "
                    + "recorded_at_nanos = EXCLUDED.recorded_at_nanos, delivery = EXCLUDED.delivery, detail = EXCLUDED.detail")) {
                bind(upsert, record);
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public DeletionRecord keep(DeletionRecord record) {
        return database.inTransaction("cannot keep the deletion record of agreement " + record.agreementId(), connection -> {
            try (var insert = connection.prepareStatement(INSERT + "ON CONFLICT (role, agreement_id) DO NOTHING")) {
                bind(insert, record);
                if (insert.executeUpdate() == 1) {
                    return record;
                }
            }
            // the row that won is committed (the conflict waited for it), so this transaction's next statement sees it
            return find(connection, record.role(), record.agreementId()).orElseThrow();
        });
    }

    @Override
    public Optional<DeletionRecord> find(DeletionRecord.Role role, String agreementId) {
        return database.inTransaction("cannot read the deletion record of agreement " + agreementId, connection -> find(connection, role, agreementId));
    }

    @Override
    public List<DeletionRecord> all() {
        return database.inTransaction("cannot read the deletion records", connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_deletion ORDER BY seq")) {
                return read(select);
            }
        });
    }

    private static Optional<DeletionRecord> find(Connection connection, DeletionRecord.Role role, String agreementId) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_deletion WHERE role = ? AND agreement_id = ?")) {
            select.setString(1, role.name());
            select.setString(2, agreementId);
            return read(select).stream().findFirst();
        }
    }

    private static void bind(PreparedStatement statement, DeletionRecord r) throws SQLException {
        TransactionalDatabase.bind(statement, r.role().name(), r.agreementId(), r.protocolAgreementId(), r.counterpartyId(), r.assetId(), r.receipt(),
                r.receiptSha256(), nanos(r.deletedAt()), nanos(r.recordedAt()), r.delivery().name(), r.detail());
    }

    private static List<DeletionRecord> read(PreparedStatement select) throws SQLException {
        try (var rows = select.executeQuery()) {
            var records = new ArrayList<DeletionRecord>();
            while (rows.next()) {
                records.add(new DeletionRecord(DeletionRecord.Role.valueOf(rows.getString("role")), rows.getString("agreement_id"),
                        rows.getString("protocol_agreement_id"), rows.getString("counterparty_id"), rows.getString("asset_id"), rows.getString("receipt"),
                        rows.getString("receipt_sha256"), instant(rows, "deleted_at_nanos"), instant(rows, "recorded_at_nanos"),
                        DeletionRecord.Delivery.valueOf(rows.getString("delivery")), rows.getString("detail")));
            }
            return records;
        }
    }
}
