package io.kakehashi.ai.extension;

import io.kakehashi.ai.spi.CancellationSignal;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.ai.sql.SqlJobRunner;
import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentNarrowedRunnerTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final String CONSUMER = "did:web:127.0.0.1%3A8002:analyst";
    private static final String ASSET = "e-receipts";

    @TempDir
    Path directory;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<ConsentFilter.Use> uses = new ArrayList<>();
    private Path receipts;
    private ConsentNarrowedRunner runner;
    private Path copies;

    @BeforeEach
    void setUp() throws IOException {
        receipts = Files.writeString(directory.resolve("receipts.csv"), """
                receipt_id,customer_id,amount
                r1,alice,1200
                r2,bob,800
                r3,alice,300
                r4,carol,500
                """);
        copies = directory.resolve("copies");
        runner = new ConsentNarrowedRunner(new SqlJobRunner(timer, 1, 100), filter, copies);
    }

    /** The consent register's filter as the runner sees it: for asset e-receipts only alice consented; agreement-2 names no purpose. */
    private final ConsentFilter filter = new ConsentFilter() {
        @Override
        public boolean appliesTo(String assetId) {
            return ASSET.equals(assetId);
        }

        @Override
        public Result<Narrowed> narrow(Use use, InputStream content, String format, OutputStream out) throws IOException {
            uses.add(use);
            if ("agreement-2".equals(use.agreementId())) {
                return Result.failure("consent: agreement-2 names no purpose");
            }
            var lines = new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            var kept = 0;
            for (var line : lines) {
                if (line.startsWith("receipt_id") || line.contains(",alice,")) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    kept++;
                }
            }
            return Result.success(new Narrowed(kept - 1, lines.length - kept));
        }
    };

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private Result<JobOutput> run(String assetId, String query) {
        return run("agreement-1", assetId, query);
    }

    private Result<JobOutput> run(String agreementId, String assetId, String query) {
        var description = JobDescription.of(JobType.SQL, Map.of(SqlJobRunner.QUERY, query));
        var job = JobRecord.queued("job-1", agreementId, assetId, CONSUMER, description, NOW);
        return runner.run(new JobRun(job, description, new TabularAsset(receipts, TabularAsset.Format.CSV), new JobLimits(Duration.ofMinutes(1), 256L << 20),
                OptionalLong.empty(), false, fraction -> { }, new CancellationSignal()));
    }

    private static Object onlyValue(Result<JobOutput> result) {
        assertThat(result.succeeded()).as(result.succeeded() ? "" : result.getFailureDetail()).isTrue();
        return ((JobOutput.Table) result.getContent()).rows().get(0).get(0);
    }

    @Test
    void run_shouldComputeOnlyOnTheConsentedRecords() {
        assertThat(onlyValue(run(ASSET, "SELECT count(*) FROM asset"))).isEqualTo(2L);
        assertThat(onlyValue(run(ASSET, "SELECT CAST(sum(amount) AS BIGINT) FROM asset"))).isEqualTo(1500L);
        assertThat(uses.get(0)).isEqualTo(ConsentFilter.Use.compute("agreement-1", ASSET, "job-1", "sql"));
    }

    @Test
    void run_underAGuard_shouldCountTheConsentedSubjectsOfTheNarrowedCopy() {
        // four receipts of three customers; after narrowing two receipts of alice alone
        var description = JobDescription.of(JobType.SQL, Map.of(SqlJobRunner.QUERY, "SELECT count(*) AS receipts FROM asset"));
        var job = JobRecord.queued("job-1", "agreement-1", ASSET, CONSUMER, description, NOW);
        var personal = new TabularAsset(receipts, TabularAsset.Format.CSV, Optional.of("customer_id"));

        var result = runner.run(new JobRun(job, description, personal, new JobLimits(Duration.ofMinutes(1), 256L << 20), OptionalLong.of(2), false,
                fraction -> { }, new CancellationSignal()));

        assertThat(result.getFailureDetail()).isEqualTo(
                "output guard (ai.minAggregation = 2): a group covers 1 data subject (customer_id); ai.minAggregation requires at least 2");
    }

    @Test
    void run_whenTheFilterRefuses_shouldFailWithItsReasonWithoutRunning() {
        var result = run("agreement-2", ASSET, "SELECT count(*) FROM asset");

        assertThat(result.getFailureDetail()).isEqualTo("consent: agreement-2 names no purpose");
    }

    @Test
    void run_shouldLeaveNoCopyBehind() throws IOException {
        run(ASSET, "SELECT count(*) FROM asset");

        try (var left = Files.list(copies)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void run_onAnAssetWithoutPersonalData_shouldReadItWhole() {
        assertThat(onlyValue(run("machine-data", "SELECT count(*) FROM asset"))).isEqualTo(4L);
        assertThat(uses).isEmpty();
    }

    @Test
    void run_onPersonalDataInParquet_shouldBeRefused() {
        var description = JobDescription.of(JobType.SQL, Map.of(SqlJobRunner.QUERY, "SELECT 1"));
        var job = JobRecord.queued("job-2", "agreement-1", ASSET, CONSUMER, description, NOW);
        var result = runner.run(new JobRun(job, description, new TabularAsset(directory.resolve("x.parquet"), TabularAsset.Format.PARQUET),
                new JobLimits(Duration.ofMinutes(1), 256L << 20), OptionalLong.empty(), false, fraction -> { }, new CancellationSignal()));

        assertThat(result.getFailureDetail()).contains("holds personal data", "CSV only");
    }
}
