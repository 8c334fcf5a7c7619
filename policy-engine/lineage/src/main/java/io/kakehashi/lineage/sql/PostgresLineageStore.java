package io.kakehashi.lineage.sql;

import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.lineage.LineageRecord;
import io.kakehashi.lineage.LineageStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link LineageStore} on PostgreSQL (table {@code kakehashi_lineage}): the consumer's lineage survives its restart
 * and is shared by its replicas. Each call is one EDC transaction; a second save of the same id changes nothing
 * ({@code ON CONFLICT DO NOTHING}), so two replicas seeing the same completion keep one record. Times are kept as
 * nanoseconds since the epoch. Thread-safe.
 */
public final class PostgresLineageStore implements LineageStore {

    private static final long LOCK = 0x4B48_4C49_0001L; // "KHLI" 1
    private static final String COLUMNS = "id, kind, agreement_id, provider_id, asset_id, destination, sha256, received_at_nanos";
    private static final String[] SCHEMA = {
            """
            CREATE TABLE IF NOT EXISTS kakehashi_lineage (
                id                TEXT PRIMARY KEY,
                kind              TEXT NOT NULL,
                agreement_id      TEXT NOT NULL,
                provider_id       TEXT,
                asset_id          TEXT,
                destination       TEXT,
                sha256            TEXT,
                received_at_nanos BIGINT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS kakehashi_lineage_agreement ON kakehashi_lineage (agreement_id, received_at_nanos)",
            "CREATE INDEX IF NOT EXISTS kakehashi_lineage_destination ON kakehashi_lineage (destination)"
    };

    private final TransactionalDatabase database;

    public PostgresLineageStore(TransactionalDatabase database) {
        this.database = database;
    }

    /** Creates the table if it is missing, under an advisory lock so replicas that start together do not race. */
    public void createSchema() {
        database.createSchema("the lineage table", LOCK, List.of(SCHEMA));
    }

    @Override
    public boolean save(LineageRecord record) {
        return database.inTransaction("cannot store lineage record " + record.id(), connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO kakehashi_lineage (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING")) {
                insert.setString(1, record.id());
                insert.setString(2, record.kind().name());
                insert.setString(3, record.agreementId());
                insert.setString(4, record.providerId());
                insert.setString(5, record.assetId());
                insert.setString(6, record.destination());
                insert.setString(7, record.sha256());
                insert.setLong(8, nanos(record.receivedAt()));
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<LineageRecord> findById(String id) {
        return select("id", id).stream().findFirst();
    }

    @Override
    public List<LineageRecord> findByAgreement(String agreementId) {
        return select("agreement_id", agreementId);
    }

    @Override
    public List<LineageRecord> findByDestination(String destination) {
        return select("destination", destination);
    }

    private List<LineageRecord> select(String column, String value) {
        return database.inTransaction("cannot read lineage records", connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_lineage WHERE " + column + " = ? ORDER BY received_at_nanos, id")) {
                select.setString(1, value);
                try (var rows = select.executeQuery()) {
                    var records = new ArrayList<LineageRecord>();
                    while (rows.next()) {
                        records.add(read(rows));
                    }
                    return records;
                }
            }
        });
    }

    private static LineageRecord read(ResultSet rows) throws SQLException {
        return new LineageRecord(rows.getString("id"), LineageKind.valueOf(rows.getString("kind")), rows.getString("agreement_id"),
                rows.getString("provider_id"), rows.getString("asset_id"), rows.getString("destination"), rows.getString("sha256"),
                instant(rows.getLong("received_at_nanos")));
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
