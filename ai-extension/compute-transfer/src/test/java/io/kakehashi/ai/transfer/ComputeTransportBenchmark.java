package io.kakehashi.ai.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static io.kakehashi.ai.transfer.TestConnector.MAPPER;
import static io.kakehashi.ai.transfer.TestConnector.constraint;
import static io.kakehashi.ai.transfer.TestConnector.ok;

/**
 * Not a test: rows per second of an aggregate over a Parquet asset (10M rows unless told) run as a compute job through
 * the connectors — the vendor submits on its management API, the job travels as a KakehashiCompute-PUSH transfer
 * process over DSP, the maker runs it (copy into the locked DuckDB, output guard, query), the result comes back over
 * gRPC, the vendor reads it — next to the same query run directly in DuckDB on the file, in the same run, after one
 * unmeasured warm-up of each. It also prints the provider's own job time (queued to completed), so that what the
 * transport adds is visible. Two connectors in this JVM, loopback, TLS on gRPC. Arguments: rows, runs, DuckDB
 * threads, and the wait of EDC's transfer and data-plane state machines between idle iterations in milliseconds
 * ({@code edc.transfer.state-machine.iteration-wait-millis}, {@code edc.dataplane.state-machine.iteration-wait-millis};
 * EDC's default 1000 unless given). Result also in {@code target/compute-transport-benchmark.txt}.
 */
public final class ComputeTransportBenchmark {

    private static final String QUERY = "SELECT machine, count(*) AS n, avg(temperature) AS avg_temp FROM asset GROUP BY machine";

    public static void main(String[] args) throws Exception {
        var rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        var runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        var threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        var iterationWait = args.length > 3 ? Long.parseLong(args[3]) : 1000L;
        var dir = Files.createTempDirectory("kakehashi-compute-bench");
        var parquet = dir.resolve("machines.parquet");
        try (var connection = DriverManager.getConnection("jdbc:duckdb:"); var statement = connection.createStatement()) {
            statement.execute("COPY (SELECT range AS id, 'M' || (range % 1000) AS machine, 40 + (range % 37) * 0.5 AS temperature "
                    + "FROM range(" + rows + ")) TO '" + parquet + "' (FORMAT parquet)");
        }
        TestConnector maker = null;
        TestConnector vendor = null;
        org.eclipse.edc.junit.extensions.EmbeddedRuntime makerRuntime = null;
        org.eclipse.edc.junit.extensions.EmbeddedRuntime vendorRuntime = null;
        // EDC's embedded runtime gives up booting after 30 s, which a loaded machine can take: try again on fresh ports
        for (var attempt = 1; vendorRuntime == null; attempt++) {
            maker = new TestConnector("jp-machine-tool-maker", dir).with("kakehashi.ai.sql.threads", String.valueOf(threads))
                    .with("kakehashi.ai.jobs.memory-limit", String.valueOf(4L << 30)).with("kakehashi.ai.jobs.time-limit", "PT10M");
            vendor = new TestConnector("ai-vendor", dir);
            for (var connector : List.of(maker, vendor)) {
                connector.with("edc.transfer.state-machine.iteration-wait-millis", String.valueOf(iterationWait))
                        .with("edc.dataplane.state-machine.iteration-wait-millis", String.valueOf(iterationWait));
            }
            var makerBooting = maker.embedded();
            var vendorBooting = vendor.embedded();
            try {
                makerBooting.boot(false);
                vendorBooting.boot(false);
                makerRuntime = makerBooting;
                vendorRuntime = vendorBooting;
            } catch (org.eclipse.edc.spi.EdcException e) {
                vendorBooting.shutdown();
                makerBooting.shutdown();
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("a runtime did not boot in time, trying again");
            }
        }
        var report = new StringBuilder();
        try {
            maker.publish("machines", parquet, List.of(constraint("purpose", "eq", "analytics"), constraint("ai.minAggregation", "gteq", "10")));
            var agreement = vendor.negotiate(maker, "machines");
            var job = MAPPER.createObjectNode().put("type", "sql").set("parameters", MAPPER.createObjectNode().put("query", QUERY)).toString();

            direct(parquet, threads);
            throughConnector(vendor, maker, agreement, job);
            var direct = new double[runs];
            var through = new double[runs];
            var provider = new double[runs];
            for (var i = 0; i < runs; i++) {
                direct[i] = direct(parquet, threads);
                var measured = throughConnector(vendor, maker, agreement, job);
                through[i] = measured[0];
                provider[i] = measured[1];
                System.out.printf("run %d: direct %.3f s, through the connectors %.3f s (the provider's job %.3f s)%n", i + 1, direct[i], through[i], provider[i]);
            }
            var d = median(direct);
            var t = median(through);
            var p = median(provider);
            report.append("rows: %d, runs: %d, DuckDB threads: %d, state-machine wait %d ms, %s, load average: %s%n".formatted(rows, runs, threads,
                    iterationWait, Instant.now(),
                    Files.readString(Path.of("/proc/loadavg")).trim()));
            report.append("direct DuckDB on the file: median %.3f s = %.1f M rows/s (runs %s)%n".formatted(d, rows / d / 1e6, Arrays.toString(direct)));
            report.append("through the connectors (submit -> result read): median %.3f s = %.1f M rows/s (runs %s)%n"
                    .formatted(t, rows / t / 1e6, Arrays.toString(through)));
            report.append("the provider's job alone (queued -> completed): median %.3f s = %.1f M rows/s%n".formatted(p, rows / p / 1e6));
            report.append("overhead: through the connectors / direct = x%.1f; the transport's part (through - job) = %.3f s%n"
                    .formatted(t / d, t - p));
            System.out.print(report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "compute-transport-benchmark.txt"), report);
        } finally {
            vendorRuntime.shutdown();
            makerRuntime.shutdown();
            Files.deleteIfExists(parquet);
        }
        System.exit(0);
    }

    /** Seconds from submit to the result read, and the provider's job time from its record. */
    private static double[] throughConnector(TestConnector vendor, TestConnector maker, String agreement, String job) throws Exception {
        var start = System.nanoTime();
        var submitted = vendor.submit(agreement, maker, job);
        var id = ok(submitted).path("id").asText();
        var path = "/v3/kakehashi/compute/remote-jobs/" + id;
        String state;
        var giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        do {
            Thread.sleep(10);
            state = vendor.get(path).path("state").asText();
            if (System.nanoTime() > giveUp) {
                // e.g. EDC's start message overtook the consumer's own REQUESTED transition and was refused (409)
                throw new IllegalStateException("job %s is still %s after 5 minutes; its transfer process: %s"
                        .formatted(id, state, vendor.get("/v3/transferprocesses/" + id)));
            }
        } while (state.equals("QUEUED") || state.equals("RUNNING"));
        if (!state.equals("COMPLETED")) {
            throw new IllegalStateException("the job ended " + state + ": " + vendor.get(path));
        }
        var result = vendor.get(path + "/result");
        var elapsed = (System.nanoTime() - start) / 1e9;
        if (result.path("result").path("rows").size() != 1000) {
            throw new IllegalStateException("expected 1000 groups, got " + result.path("result").path("rows").size());
        }
        var providerJob = maker.get("/v3/kakehashi/compute/jobs/" + vendor.get(path).path("providerJobId").asText());
        var providerSeconds = Duration.between(Instant.parse(providerJob.path("createdAt").asText()),
                Instant.parse(providerJob.path("updatedAt").asText())).toNanos() / 1e9;
        return new double[]{elapsed, providerSeconds};
    }

    private static double direct(Path parquet, int threads) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:duckdb:"); var statement = connection.createStatement()) {
            statement.execute("SET threads = " + threads);
            var start = System.nanoTime();
            var groups = 0;
            try (var result = statement.executeQuery(QUERY.replace("FROM asset", "FROM read_parquet('" + parquet + "')"))) {
                while (result.next()) {
                    result.getLong(2);
                    groups++;
                }
            }
            if (groups != 1000) {
                throw new IllegalStateException("expected 1000 groups, got " + groups);
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double median(double[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private ComputeTransportBenchmark() {
    }
}
