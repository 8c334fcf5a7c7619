package io.kakehashi.ai.sql;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobType;
import org.eclipse.edc.spi.result.Result;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an SQL job ({@code query} parameter) on its asset in a {@link LockedDownDuckDb}. The query is parsed by
 * DuckDB's own parser and must be a single {@code SELECT} reading only the table {@code asset}
 * ({@link AssetOnlyCheck}); under {@code ai.minAggregation} it must be a grouped aggregate that the
 * {@link AggregateOutputGuard} rewrites and checks on its result — counting distinct data subjects when the asset names
 * its subject column, rows otherwise. What runs is the SQL rendered from the checked tree.
 * A statement running past the job's time limit, or whose job is cancelled, is cancelled in the engine; a result of
 * more than {@code maxResultRows} rows is refused. Thread-safe: each run has its own database.
 */
public final class SqlJobRunner implements JobRunner {

    /** Job parameter: the SQL query. */
    public static final String QUERY = "query";
    static final int MAX_QUERY_LENGTH = 100_000;

    private final DuckDbSqlParser parser = new DuckDbSqlParser();
    private final ScheduledExecutorService timer;
    private final int threads;
    private final int maxResultRows;

    /**
     * @param timer         cancels statements at their time limit
     * @param threads       DuckDB worker threads per job
     * @param maxResultRows the most rows a result may have
     */
    public SqlJobRunner(ScheduledExecutorService timer, int threads, int maxResultRows) {
        if (threads < 1 || maxResultRows < 1) {
            throw new IllegalArgumentException("threads and maxResultRows must be positive");
        }
        this.timer = timer;
        this.threads = threads;
        this.maxResultRows = maxResultRows;
    }

    @Override
    public JobType type() {
        return JobType.SQL;
    }

    @Override
    public Result<Void> validate(JobDescription description) {
        var query = description.parameter(QUERY);
        if (query.isEmpty() || query.get().isBlank()) {
            return Result.failure("query: an SQL job needs a query");
        }
        if (query.get().length() > MAX_QUERY_LENGTH) {
            return Result.failure("query: longer than %d characters".formatted(MAX_QUERY_LENGTH));
        }
        return Result.success();
    }

    @Override
    public Result<JobOutput> run(JobRun run) {
        var valid = validate(run.description());
        if (valid.failed()) {
            return Result.failure(valid.getFailureDetail());
        }
        var parsed = parser.parseSelect(run.description().parameter(QUERY).orElseThrow());
        if (parsed.failed()) {
            return Result.failure(parsed.getFailureDetail());
        }
        var scope = AssetOnlyCheck.check(parsed.getContent());
        if (scope.failed()) {
            return Result.failure(scope.getFailureDetail());
        }
        var statement = parsed.getContent();
        AggregateOutputGuard.Rewritten guard = null;
        if (run.minimumGroupSize().isPresent()) {
            var guarded = AggregateOutputGuard.rewrite(statement, parser.aggregateFunctions(), run.minimumGroupSize().getAsLong(),
                    run.asset().subjectField());
            if (guarded.failed()) {
                return Result.failure(guarded.getFailureDetail());
            }
            guard = guarded.getContent();
            statement = guard.statement();
        }
        var added = guard == null ? 0 : guard.addedColumns();
        var sql = parser.render(statement);
        if (sql.failed()) {
            return Result.failure(sql.getFailureDetail());
        }
        run.progress().accept(0.1);

        var rows = execute(run, sql.getContent(), added);
        if (rows.failed()) {
            return Result.failure(rows.getFailureDetail());
        }
        var table = rows.getContent();
        if (guard != null) {
            var checked = AggregateOutputGuard.check(table.rows(), guard, run.minimumGroupSize().getAsLong());
            if (checked.failed()) {
                return Result.failure(checked.getFailureDetail());
            }
            table = new JobOutput.Table(table.columns().subList(0, table.columns().size() - added), checked.getContent());
        }
        return Result.success(table);
    }

    private Result<JobOutput.Table> execute(JobRun run, String sql, int added) {
        var stopped = new AtomicReference<String>();
        var ended = new AtomicBoolean();
        try (var database = LockedDownDuckDb.open(run.asset(), run.limits(), threads)) {
            run.progress().accept(0.3);
            try (var statement = database.connection().createStatement()) {
                run.cancellation().onCancel(() -> {
                    stopped.compareAndSet(null, "the job was cancelled");
                    cancelUntilEnded(statement, ended);
                });
                var deadline = timer.schedule(() -> {
                    stopped.compareAndSet(null, "time limit of %s exceeded".formatted(run.limits().timeLimit()));
                    cancelUntilEnded(statement, ended);
                }, run.limits().timeLimit().toMillis(), TimeUnit.MILLISECONDS);
                try {
                    if (stopped.get() != null) {
                        // cancelled while the asset was loading: the statement is never started
                        return Result.failure(stopped.get());
                    }
                    return rows(run, statement.executeQuery(sql));
                } finally {
                    ended.set(true);
                    deadline.cancel(false);
                }
            }
        } catch (SQLException e) {
            if (stopped.get() != null) {
                return Result.failure(stopped.get());
            }
            return Result.failure(added > 0 && String.valueOf(e.getMessage()).contains("GROUP BY")
                    ? "output guard: the query returns raw rows; only aggregates over groups may leave (%s)".formatted(SqlErrors.describe(e))
                    : "the query failed: " + SqlErrors.describe(e));
        }
    }

    private Result<JobOutput.Table> rows(JobRun run, java.sql.ResultSet query) throws SQLException {
        try (var result = query) {
            var meta = result.getMetaData();
            var columns = new ArrayList<String>();
            for (var i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            var rows = new ArrayList<List<Object>>();
            while (result.next()) {
                if (rows.size() == maxResultRows) {
                    return Result.failure("the result has more than %d rows".formatted(maxResultRows));
                }
                var row = new ArrayList<>(columns.size());
                for (var i = 1; i <= columns.size(); i++) {
                    row.add(plain(result.getObject(i)));
                }
                rows.add(row);
            }
            run.progress().accept(0.9);
            return Result.success(new JobOutput.Table(columns, rows));
        }
    }

    /**
     * Cancels the statement, and again every 100 ms until it has ended: DuckDB forgets a cancel that comes before the
     * statement has started executing, which left a job cancelled during its start running to its time limit.
     */
    private void cancelUntilEnded(java.sql.Statement statement, AtomicBoolean ended) {
        if (ended.get()) {
            return;
        }
        cancel(statement);
        try {
            timer.schedule(() -> cancelUntilEnded(statement, ended), 100, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the runner is shutting down; the cancel above is the last one
        }
    }

    private static void cancel(java.sql.Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // the statement has ended already
        }
    }

    /** Values as JSON can carry them: numbers, text, booleans, null; anything else as its text. */
    private static Object plain(Object value) {
        if (value == null || value instanceof Boolean || value instanceof String || value instanceof Long || value instanceof Integer
                || value instanceof Double || value instanceof BigDecimal || value instanceof BigInteger || value instanceof Short
                || value instanceof Float) {
            return value;
        }
        return value.toString();
    }
}
