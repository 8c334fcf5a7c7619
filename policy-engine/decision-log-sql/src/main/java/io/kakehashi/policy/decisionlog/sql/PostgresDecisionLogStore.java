package io.kakehashi.policy.decisionlog.sql;

import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.HashChain;
import io.kakehashi.policy.decisionlog.JsonCanonicalizer;
import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogCorruptedException;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The production decision log, in PostgreSQL (tables in {@code decision-log-schema.sql}).
 *
 * <p>Promises: appends are written in batches, each batch one transaction that first takes an advisory lock of the
 * log, then reads the head, inserts the batch's entries in the order they arrived and commits — so connector
 * replicas sharing the database append one batch after the other and the chain cannot fork; an append returns only
 * after the commit of its batch, and fails when that batch fails (none of its entries is then in the log).
 * Group commit: one writer thread takes everything queued while the previous batch committed (up to
 * {@value #MAX_BATCH} entries), so concurrent decisions share a commit and a single appender still gets one commit
 * per entry. The entry is stored as the canonical JSON that was hashed; the query columns copied from it are checked
 * against it on every read, and a disagreement is reported as corruption (the named digests' values are such a
 * column, for finding the entries that carry a digest). Positions are sequence numbers. Plain JDBC on the data source
 * given; a batch runs on the writer thread, in the transaction the {@link Transactions} given makes (by default the
 * store's own), never in a caller's.
 *
 * <p>Thread-safe.
 */
public final class PostgresDecisionLogStore implements DecisionLogStore {

    /** The most entries one batch (one transaction) holds. */
    public static final int MAX_BATCH = 512;

    private static final String COLUMNS = "sequence, previous_hash, hash, decided_at, scope, counterparty_id, agreement_id, asset_id, outcome, entry_json, digest_values, local_agreement_id";

    /**
     * Runs a batch in a transaction: the default manages it on the connection itself; the connector passes EDC's
     * transaction context, whose connections leave commit and rollback to it.
     */
    @FunctionalInterface
    public interface Transactions {
        <T> T execute(Supplier<T> work);
    }

    private final DataSource dataSource;
    private final Transactions transactions;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    private final Object writerLock = new Object();
    private Thread writer;

    /**
     * A store on the data source, whose tables must exist ({@link DecisionLogSchema#create}).
     */
    public PostgresDecisionLogStore(DataSource dataSource) {
        this(dataSource, Supplier::get);
    }

    /**
     * A store whose batches run in the transactions {@code transactions} makes.
     */
    public PostgresDecisionLogStore(DataSource dataSource, Transactions transactions) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * Creates the tables if absent, then returns a store on them.
     */
    public static PostgresDecisionLogStore create(DataSource dataSource) {
        DecisionLogSchema.create(dataSource);
        return new PostgresDecisionLogStore(dataSource);
    }

    @Override
    public StoredDecision append(DecisionEntry entry) {
        var pending = new Pending(entry, DecisionJson.canonicalEntry(entry));
        queue.add(pending);
        received.incrementAndGet();
        startWriter();
        try {
            return pending.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof EdcPersistenceException persistence) {
                throw new EdcPersistenceException(persistence.getMessage(), persistence);
            }
            throw new EdcPersistenceException("cannot append to the decision log: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * For tests: appends received so far.
     */
    long received() {
        return received.get();
    }

    private void startWriter() {
        synchronized (writerLock) {
            if (writer == null) {
                writer = new Thread(this::writeBatches, "kakehashi-decision-log-writer");
                writer.setDaemon(true);
                writer.start();
            }
        }
    }

    private void writeBatches() {
        var batch = new ArrayList<Pending>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            if (!commit(batch) && batch.size() > 1) {
                // one entry the database refuses must not take the others down with it: each alone, in order
                for (var pending : batch) {
                    commit(List.of(pending));
                }
            }
            batch.clear();
        }
    }

    /**
     * Commits the batch and completes its appends; when it fails, fails them only if it was a single append.
     *
     * @return whether the batch was committed
     */
    private boolean commit(List<Pending> batch) {
        try {
            var stored = transactions.execute(() -> appendBatch(batch));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result.complete(stored.get(i));
            }
            return true;
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
            }
            return false;
        }
    }

    private List<StoredDecision> appendBatch(List<Pending> batch) {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                DecisionLogSchema.lock(connection);
                ChainHead head;
                try (var statement = connection.prepareStatement("SELECT sequence, hash FROM kakehashi_decision_log ORDER BY sequence DESC LIMIT 1");
                     var rows = statement.executeQuery()) {
                    head = rows.next() ? new ChainHead(rows.getLong(1), rows.getString(2)) : new ChainHead(0, HashChain.GENESIS);
                }
                var stored = new ArrayList<StoredDecision>(batch.size());
                try (var statement = connection.prepareStatement("INSERT INTO kakehashi_decision_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (var pending : batch) {
                        var sequence = head.sequence() + 1;
                        var next = new StoredDecision(sequence, head.hash(), HashChain.hashCanonical(head.hash(), sequence, pending.canonical), pending.entry);
                        bind(connection, statement, next, pending.canonical);
                        statement.addBatch();
                        stored.add(next);
                        head = new ChainHead(sequence, next.hash());
                    }
                    statement.executeBatch();
                }
                connection.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot append to the decision log: " + e.getMessage(), e);
        }
    }

    /** An append waiting for its batch. */
    private record Pending(DecisionEntry entry, String canonical, CompletableFuture<StoredDecision> result) {
        Pending(DecisionEntry entry, String canonical) {
            this(entry, canonical, new CompletableFuture<>());
        }
    }

    @Override
    public StoreResult<StoredDecision> read(long position) {
        var rows = select("SELECT " + COLUMNS + " FROM kakehashi_decision_log WHERE sequence = ?", List.of(position), position);
        return rows.isEmpty() ? StoreResult.notFound("no decision at position " + position) : StoreResult.success(rows.get(0));
    }

    @Override
    public List<StoredDecision> readRange(long fromPosition, int max) {
        return select("SELECT " + COLUMNS + " FROM kakehashi_decision_log WHERE sequence >= ? ORDER BY sequence LIMIT ?", List.of(fromPosition, max), fromPosition);
    }

    @Override
    public ChainHead head() {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT sequence, hash FROM kakehashi_decision_log ORDER BY sequence DESC LIMIT 1");
             var rows = statement.executeQuery()) {
            return rows.next() ? new ChainHead(rows.getLong(1), rows.getString(2)) : new ChainHead(0, HashChain.GENESIS);
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read the decision log head: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredDecision> query(DecisionQuery query) {
        var sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM kakehashi_decision_log WHERE TRUE");
        var parameters = new ArrayList<Object>();
        condition(sql, parameters, "counterparty_id = ?", query.counterpartyId());
        if (query.agreementId() != null) {
            // either id of the agreement, as DecisionQuery#matches; each column has its index (a bitmap OR of the two)
            sql.append(" AND (agreement_id = ? OR local_agreement_id = ?)");
            parameters.add(query.agreementId());
            parameters.add(query.agreementId());
        }
        condition(sql, parameters, "asset_id = ?", query.assetId());
        condition(sql, parameters, "scope = ?", query.scope() == null ? null : query.scope().wireName());
        condition(sql, parameters, "outcome = ?", query.outcome() == null ? null : query.outcome().name());
        condition(sql, parameters, "digest_values @> ARRAY[CAST(? AS VARCHAR(64))]", query.digest());
        // read from the canonical JSON (no column of its own): an optional member that older entries lack
        condition(sql, parameters, "CAST(entry_json AS JSONB) ->> 'counterpartyLegalId' = ?", query.legalId());
        condition(sql, parameters, "decided_at >= ?", timestamp(query.from()));
        condition(sql, parameters, "decided_at < ?", timestamp(query.to()));
        sql.append(" ORDER BY sequence LIMIT ? OFFSET ?");
        parameters.add(query.limit());
        parameters.add(query.offset());
        return select(sql.toString(), parameters, -1);
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            parameters.add(value);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * @param firstPosition the position of the first row for a positional read, or -1 to report rows by sequence
     */
    private List<StoredDecision> select(String sql, List<?> parameters, long firstPosition) {
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            var result = new ArrayList<StoredDecision>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    var position = firstPosition < 0 ? rows.getLong("sequence") : firstPosition + result.size();
                    result.add(map(rows, position));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read the decision log: " + e.getMessage(), e);
        }
    }

    private static StoredDecision map(ResultSet rows, long position) throws SQLException {
        DecisionEntry entry;
        try {
            entry = DecisionJson.entry(JsonCanonicalizer.parse(rows.getString("entry_json")));
        } catch (IllegalArgumentException e) {
            throw new DecisionLogCorruptedException(position, e.getMessage());
        }
        var decidedAt = rows.getObject("decided_at", OffsetDateTime.class).toInstant();
        var consistent = decidedAt.equals(entry.time())
                && entry.scope().wireName().equals(rows.getString("scope"))
                && entry.counterpartyId().equals(rows.getString("counterparty_id"))
                && Objects.equals(entry.agreementId(), rows.getString("agreement_id"))
                && Objects.equals(entry.localAgreementId(), rows.getString("local_agreement_id"))
                && Objects.equals(entry.assetId(), rows.getString("asset_id"))
                && entry.outcome().name().equals(rows.getString("outcome"))
                && List.copyOf(entry.digests().values()).equals(digestValues(rows));
        if (!consistent) {
            throw new DecisionLogCorruptedException(position, "the query columns disagree with the stored entry");
        }
        return new StoredDecision(rows.getLong("sequence"), rows.getString("previous_hash"), rows.getString("hash"), entry);
    }

    private static List<String> digestValues(ResultSet rows) throws SQLException {
        var array = rows.getArray("digest_values");
        if (array == null) {
            return List.of();
        }
        var values = new ArrayList<String>();
        for (var value : (Object[]) array.getArray()) {
            values.add((String) value);
        }
        return values;
    }

    private static void bind(Connection connection, PreparedStatement statement, StoredDecision stored, String entryJson) throws SQLException {
        var entry = stored.entry();
        statement.setLong(1, stored.sequence());
        statement.setString(2, stored.previousHash());
        statement.setString(3, stored.hash());
        statement.setObject(4, timestamp(entry.time()));
        statement.setString(5, entry.scope().wireName());
        statement.setString(6, entry.counterpartyId());
        statement.setString(7, entry.agreementId());
        statement.setString(8, entry.assetId());
        statement.setString(9, entry.outcome().name());
        statement.setString(10, entryJson);
        if (entry.digests().isEmpty()) {
            statement.setNull(11, Types.ARRAY);
        } else {
            statement.setArray(11, connection.createArrayOf("varchar", entry.digests().values().toArray()));
        }
        statement.setString(12, entry.localAgreementId());
    }
}
