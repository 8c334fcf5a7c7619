package io.kakehashi.core.outbox;

import io.kakehashi.core.spi.outbox.StatementOutbox;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The outbox in the table {@code kakehashi_statement_outbox}, shared by every replica on the database. A statement is
 * claimed by one holder at a time ({@code UPDATE … FOR UPDATE SKIP LOCKED}: replicas claiming together take
 * different rows) until the claim's end, after which any holder may claim it again; {@link #retry} and {@link #done}
 * count only from the holder whose name is on the row. Rows done stay, with their outcome, until {@link #purgeDone}.
 * Each call is one SQL statement, so it commits on its own or in the caller's transaction; the connections' own
 * transaction control is never touched. Thread-safe.
 */
public final class PostgresStatementOutbox implements StatementOutbox {

    static final String TABLE = "kakehashi_statement_outbox";
    private static final String COLUMNS = "id, kind, address, statement, created_at, attempts, due_at";

    private final Supplier<DataSource> dataSource;

    /** An outbox on the data source, whose table must exist ({@link OutboxSchema#create}). */
    public PostgresStatementOutbox(DataSource dataSource) {
        this(() -> dataSource);
        Objects.requireNonNull(dataSource, "dataSource");
    }

    /** An outbox on a data source looked up on each use (EDC's registry, inside its transactions). */
    public PostgresStatementOutbox(Supplier<DataSource> dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Pending put(String kind, String address, String statement, Instant now) {
        var kept = new Pending(UUID.randomUUID().toString(), kind, address, statement, now, 0, now);
        update("INSERT INTO " + TABLE + " (id, kind, address, statement, created_at, attempts, due_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                kept.id(), kind, address, statement, now.toEpochMilli(), now.toEpochMilli());
        return kept;
    }

    @Override
    public Pending hold(String kind, String address, String statement, String holder, Instant now, Instant until) {
        var kept = new Pending(UUID.randomUUID().toString(), kind, address, statement, now, 0, now);
        update("INSERT INTO " + TABLE + " (id, kind, address, statement, created_at, attempts, due_at, claimed_by, claimed_until) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
                kept.id(), kind, address, statement, now.toEpochMilli(), now.toEpochMilli(), holder, until.toEpochMilli());
        return kept;
    }

    @Override
    public boolean complete(String id, String holder, String kind, String statement, Instant now) {
        // one row changed in one statement: the draft and its signed statement never both wait, nor neither
        return update("UPDATE " + TABLE + " SET kind = ?, statement = ?, attempts = 0, due_at = ?, claimed_by = NULL, claimed_until = NULL"
                + " WHERE id = ? AND claimed_by = ? AND done_at IS NULL", kind, statement, now.toEpochMilli(), id, holder) == 1;
    }

    @Override
    public List<Pending> claim(String kind, String holder, Instant now, Instant until, int max) {
        var sql = "UPDATE " + TABLE + " SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT id FROM " + TABLE
                + " WHERE kind = ? AND done_at IS NULL AND due_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)"
                + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;
        var claimed = query(sql, holder, until.toEpochMilli(), kind, now.toEpochMilli(), now.toEpochMilli(), max);
        claimed.sort(Comparator.comparing(Pending::due));
        return claimed;
    }

    @Override
    public boolean retry(String id, String holder, int attempts, Instant due) {
        return update("UPDATE " + TABLE + " SET attempts = ?, due_at = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ? AND done_at IS NULL",
                attempts, due.toEpochMilli(), id, holder) == 1;
    }

    @Override
    public boolean done(String id, String holder, Outcome outcome, String detail, Instant now) {
        return update("UPDATE " + TABLE + " SET done_at = ?, outcome = ?, detail = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ? AND done_at IS NULL",
                now.toEpochMilli(), outcome.name(), detail, id, holder) == 1;
    }

    @Override
    public Optional<Instant> nextDue(String kind) {
        try (var connection = dataSource.get().getConnection();
             var statement = connection.prepareStatement("SELECT min(GREATEST(due_at, COALESCE(claimed_until, 0))) FROM " + TABLE
                     + " WHERE kind = ? AND done_at IS NULL")) {
            statement.setString(1, kind);
            try (var rows = statement.executeQuery()) {
                rows.next();
                var millis = rows.getLong(1);
                return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
            }
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read the outbox: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Pending> pending(String kind) {
        return query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE kind = ? AND done_at IS NULL ORDER BY created_at, id", kind);
    }

    /** Deletes the rows done before {@code before}; answers how many. */
    public int purgeDone(Instant before) {
        return update("DELETE FROM " + TABLE + " WHERE done_at IS NOT NULL AND done_at < ?", before.toEpochMilli());
    }

    private int update(String sql, Object... parameters) {
        try (var connection = dataSource.get().getConnection(); var statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot update the outbox: " + e.getMessage(), e);
        }
    }

    private List<Pending> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.get().getConnection(); var statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (var rows = statement.executeQuery()) {
                var result = new ArrayList<Pending>();
                while (rows.next()) {
                    result.add(pending(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read the outbox: " + e.getMessage(), e);
        }
    }

    private static void bind(java.sql.PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static Pending pending(ResultSet rows) throws SQLException {
        return new Pending(rows.getString("id"), rows.getString("kind"), rows.getString("address"), rows.getString("statement"),
                Instant.ofEpochMilli(rows.getLong("created_at")), rows.getInt("attempts"), Instant.ofEpochMilli(rows.getLong("due_at")));
    }
}
