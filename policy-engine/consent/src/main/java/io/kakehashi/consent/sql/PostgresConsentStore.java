package io.kakehashi.consent.sql;

import io.kakehashi.consent.Consent;
import io.kakehashi.consent.ConsentStore;
import io.kakehashi.core.spi.sql.TransactionalDatabase;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link ConsentStore} on PostgreSQL (tables {@code kakehashi_consent}, {@code kakehashi_consent_delivery} and
 * {@code kakehashi_consent_notice}): the
 * register survives a restart and is shared by replicas. Each call is one EDC transaction on the default data source
 * (the same {@link TransactionalDatabase} access the lineage store uses). A delivery is one row per use and subject, so a
 * withdrawal finds its consumers through an index. Thread-safe.
 */
public final class PostgresConsentStore implements ConsentStore {

    private static final long LOCK = 0x4B48_434E_0001L; // "KHCN" 1
    private static final String COLUMNS = "id, subject_id, asset_id, purposes, recipient, granted_at, expires_at, withdrawn_at";
    private static final String[] SCHEMA = {
            """
            CREATE TABLE IF NOT EXISTS kakehashi_consent (
                id           TEXT PRIMARY KEY,
                subject_id   TEXT NOT NULL,
                asset_id     TEXT,
                purposes     TEXT[] NOT NULL,
                recipient    TEXT NOT NULL,
                granted_at   TIMESTAMPTZ NOT NULL,
                expires_at   TIMESTAMPTZ,
                withdrawn_at TIMESTAMPTZ
            )""",
            "CREATE INDEX IF NOT EXISTS kakehashi_consent_subject ON kakehashi_consent (subject_id, granted_at)",
            "CREATE INDEX IF NOT EXISTS kakehashi_consent_asset ON kakehashi_consent (asset_id, granted_at)",
            """
            CREATE TABLE IF NOT EXISTS kakehashi_consent_delivery (
                use_id       TEXT NOT NULL,
                subject_id   TEXT NOT NULL,
                agreement_id TEXT NOT NULL,
                consumer_id  TEXT,
                asset_id     TEXT,
                kind         TEXT NOT NULL,
                at           TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (use_id, subject_id)
            )""",
            "CREATE INDEX IF NOT EXISTS kakehashi_consent_delivery_subject ON kakehashi_consent_delivery (subject_id, at)",
            """
            CREATE TABLE IF NOT EXISTS kakehashi_consent_notice (
                consent_id   TEXT NOT NULL,
                agreement_id TEXT NOT NULL,
                consumer_id  TEXT,
                state        TEXT NOT NULL,
                detail       TEXT,
                receipt      TEXT,
                at           TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (consent_id, agreement_id)
            )"""
    };

    private final TransactionalDatabase database;

    public PostgresConsentStore(TransactionalDatabase database) {
        this.database = database;
    }

    /** Creates the tables if they are missing, under an advisory lock so replicas that start together do not race. */
    public void createSchema() {
        database.createSchema("the consent tables", LOCK, List.of(SCHEMA));
    }

    @Override
    public void save(Consent c) {
        database.inTransaction("cannot store consent " + c.id(), connection -> {
            try (var upsert = connection.prepareStatement("INSERT INTO kakehashi_consent (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET subject_id = EXCLUDED.subject_id, asset_id = EXCLUDED.asset_id, purposes = EXCLUDED.purposes, "
                    + "recipient = EXCLUDED.recipient, granted_at = EXCLUDED.granted_at, expires_at = EXCLUDED.expires_at, withdrawn_at = EXCLUDED.withdrawn_at")) {
                upsert.setString(1, c.id());
                upsert.setString(2, c.subjectId());
                upsert.setString(3, c.assetId());
                upsert.setArray(4, connection.createArrayOf("text", c.purposes().toArray()));
                upsert.setString(5, c.recipient());
                upsert.setTimestamp(6, timestamp(c.grantedAt()));
                upsert.setTimestamp(7, timestamp(c.expiresAt()));
                upsert.setTimestamp(8, timestamp(c.withdrawnAt()));
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Consent> find(String id) {
        return select("id = ?", id).stream().findFirst();
    }

    @Override
    public List<Consent> findBySubject(String subjectId) {
        return select("subject_id = ?", subjectId);
    }

    @Override
    public List<Consent> findByAsset(String assetId) {
        return select("(asset_id = ? OR asset_id IS NULL)", assetId);
    }

    @Override
    public void delivered(Delivery d) {
        database.inTransaction("cannot store the delivery of use " + d.useId(), connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO kakehashi_consent_delivery (use_id, subject_id, agreement_id, consumer_id, asset_id, "
                    + "kind, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (use_id, subject_id) DO NOTHING")) {
                for (var subject : d.subjects()) {
                    insert.setString(1, d.useId());
                    insert.setString(2, subject);
                    insert.setString(3, d.agreementId());
                    insert.setString(4, d.consumerId());
                    insert.setString(5, d.assetId());
                    insert.setString(6, d.kind());
                    insert.setTimestamp(7, timestamp(d.at()));
                    insert.addBatch();
                }
                return insert.executeBatch();
            }
        });
    }

    @Override
    public List<Delivery> deliveriesOf(String subjectId) {
        return database.inTransaction("cannot read deliveries", connection -> {
            try (var select = connection.prepareStatement("SELECT use_id, agreement_id, consumer_id, asset_id, kind, at FROM kakehashi_consent_delivery "
                    + "WHERE subject_id = ? ORDER BY at, use_id")) {
                select.setString(1, subjectId);
                try (var rows = select.executeQuery()) {
                    var found = new ArrayList<Delivery>();
                    while (rows.next()) {
                        found.add(new Delivery(rows.getString("agreement_id"), rows.getString("consumer_id"), rows.getString("asset_id"),
                                rows.getString("use_id"), rows.getString("kind"), java.util.Set.of(subjectId), rows.getTimestamp("at").toInstant()));
                    }
                    return found;
                }
            }
        });
    }

    @Override
    public void noticed(Notice n) {
        database.inTransaction("cannot store the notice of consent " + n.consentId(), connection -> {
            try (var upsert = connection.prepareStatement("INSERT INTO kakehashi_consent_notice (consent_id, agreement_id, consumer_id, state, detail, "
                    + "receipt, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (consent_id, agreement_id) DO UPDATE SET consumer_id = EXCLUDED.consumer_id, "
                    + "state = EXCLUDED.state, detail = EXCLUDED.detail, receipt = EXCLUDED.receipt, at = EXCLUDED.at")) {
                upsert.setString(1, n.consentId());
                upsert.setString(2, n.agreementId());
                upsert.setString(3, n.consumerId());
                upsert.setString(4, n.state().name());
                upsert.setString(5, n.detail());
                upsert.setString(6, n.receipt());
                upsert.setTimestamp(7, timestamp(n.at()));
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public List<Notice> notices(String consentId) {
        return selectNotices("consent_id = ?", consentId);
    }

    @Override
    public List<Notice> pendingNotices() {
        return selectNotices("state = ?", Notice.State.PENDING.name());
    }

    private List<Notice> selectNotices(String where, String value) {
        return database.inTransaction("cannot read notices", connection -> {
            try (var select = connection.prepareStatement("SELECT consent_id, agreement_id, consumer_id, state, detail, receipt, at "
                    + "FROM kakehashi_consent_notice WHERE " + where + " ORDER BY at, agreement_id")) {
                select.setString(1, value);
                try (var rows = select.executeQuery()) {
                    var found = new ArrayList<Notice>();
                    while (rows.next()) {
                        found.add(new Notice(rows.getString("consent_id"), rows.getString("agreement_id"), rows.getString("consumer_id"),
                                Notice.State.valueOf(rows.getString("state")), rows.getString("detail"), rows.getString("receipt"),
                                rows.getTimestamp("at").toInstant()));
                    }
                    return found;
                }
            }
        });
    }

    private List<Consent> select(String where, String value) {
        return database.inTransaction("cannot read consents", connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_consent WHERE " + where + " ORDER BY granted_at, id")) {
                select.setString(1, value);
                try (var rows = select.executeQuery()) {
                    var found = new ArrayList<Consent>();
                    while (rows.next()) {
                        found.add(read(rows));
                    }
                    return found;
                }
            }
        });
    }

    private static Consent read(ResultSet rows) throws SQLException {
        Array purposes = rows.getArray("purposes");
        return new Consent(rows.getString("id"), rows.getString("subject_id"), rows.getString("asset_id"),
                Arrays.stream((Object[]) purposes.getArray()).map(String::valueOf).toList(), rows.getString("recipient"),
                instant(rows.getTimestamp("granted_at")), instant(rows.getTimestamp("expires_at")), instant(rows.getTimestamp("withdrawn_at")));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
