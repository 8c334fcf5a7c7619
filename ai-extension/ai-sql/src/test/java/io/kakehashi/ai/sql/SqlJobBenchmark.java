package io.kakehashi.ai.sql;

import io.kakehashi.ai.spi.CancellationSignal;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.TabularAsset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;

/**
 * Not a test: rows per second of an aggregate over a 10M-row Parquet asset run as an SQL job (load into the locked
 * database, output guard, query) against the same query run directly in DuckDB on the file, and the same job on the
 * asset as personal data (each row a record of one of {@code rows / 100} people, column {@code person}), where the
 * guard counts distinct subjects instead of rows. Run with
 * {@code java -cp <test classpath> io.kakehashi.ai.sql.SqlJobBenchmark [rows] [threads]}.
 */
public final class SqlJobBenchmark {

    private static final String QUERY = "SELECT machine, count(*) AS n, avg(temperature) AS avg_temp FROM asset GROUP BY machine";

    public static void main(String[] args) throws Exception {
        var rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        var threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        var dir = Files.createTempDirectory("kakehashi-sql-bench");
        var parquet = dir.resolve("machines.parquet");
        try (var connection = DriverManager.getConnection("jdbc:duckdb:"); var statement = connection.createStatement()) {
            statement.execute("COPY (SELECT range AS id, 'M' || (range % 1000) AS machine, 40 + (range % 37) * 0.5 AS temperature, "
                    + "'P' || (range % " + Math.max(1, rows / 100) + ") AS person FROM range(" + rows + ")) TO '" + parquet + "' (FORMAT parquet)");
        }
        var timer = Executors.newSingleThreadScheduledExecutor();
        var runner = new SqlJobRunner(timer, threads, 100_000);
        var asset = new TabularAsset(parquet, TabularAsset.Format.PARQUET);
        var personal = new TabularAsset(parquet, TabularAsset.Format.PARQUET, Optional.of("person"));
        for (var i = 0; i < 5; i++) {
            var direct = direct(parquet, threads);
            var job = job(runner, asset);
            var subjects = job(runner, personal);
            System.out.printf("run %d: direct %.3f s (%.1f M rows/s), job %.3f s (%.1f M rows/s), overhead x%.1f; "
                    + "counting subjects %.3f s (%.1f M rows/s), x%.2f the job counting rows%n", i + 1, direct,
                    rows / direct / 1e6, job, rows / job / 1e6, job / direct, subjects, rows / subjects / 1e6, subjects / job);
        }
        timer.shutdownNow();
        Files.delete(parquet);
        Files.delete(dir);
    }

    private static double job(SqlJobRunner runner, TabularAsset asset) {
        var start = System.nanoTime();
        var result = runner.run(SqlTestFixtures.run(asset, QUERY, OptionalLong.of(10), Duration.ofMinutes(5), 4L << 30, new CancellationSignal()));
        if (result.failed()) {
            throw new IllegalStateException(result.getFailureDetail());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double direct(Path parquet, int threads) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:duckdb:"); var statement = connection.createStatement()) {
            statement.execute("SET threads = " + threads);
            var start = System.nanoTime();
            try (var result = statement.executeQuery(QUERY.replace("FROM asset", "FROM read_parquet('" + parquet + "')"))) {
                while (result.next()) {
                    result.getLong(2);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private SqlJobBenchmark() {
    }
}
