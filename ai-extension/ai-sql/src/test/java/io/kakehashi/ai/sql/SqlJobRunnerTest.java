package io.kakehashi.ai.sql;

import io.kakehashi.ai.spi.CancellationSignal;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.TabularAsset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.kakehashi.ai.sql.SqlTestFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SqlJobRunnerTest {

    private static final OptionalLong NO_GUARD = OptionalLong.empty();

    @TempDir
    Path dir;
    private Path asset;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SqlJobRunner runner = new SqlJobRunner(timer, 1, 1000);

    @BeforeEach
    void data() throws Exception {
        asset = SqlTestFixtures.machineCsv(dir);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private JobOutput.Table table(String query, OptionalLong k) {
        var result = runner.run(run(asset, query, k));
        assertThat(result.succeeded()).as(result.succeeded() ? "" : result.getFailureDetail()).isTrue();
        return (JobOutput.Table) result.getContent();
    }

    private String failure(String query, OptionalLong k) {
        var result = runner.run(run(asset, query, k));
        assertThat(result.failed()).as("query should fail: " + query).isTrue();
        return result.getFailureDetail();
    }

    @Nested
    class Analytics {

        @Test
        void run_anAggregate_shouldReturnItsRows() {
            var table = table("SELECT region, count(*) AS machines, avg(temperature) AS avg_temp FROM asset GROUP BY region ORDER BY region", NO_GUARD);

            assertThat(table.columns()).containsExactly("region", "machines", "avg_temp");
            assertThat(table.rows()).hasSize(5);
            assertThat(table.rows().get(0)).containsExactly("Aichi", 100L, 49.5);
        }

        @Test
        void run_onAParquetAsset_shouldReadIt() throws Exception {
            var parquet = dir.resolve("machine-operation.parquet");
            try (var connection = DriverManager.getConnection("jdbc:duckdb:"); var statement = connection.createStatement()) {
                statement.execute("COPY (SELECT * FROM read_csv('" + asset + "')) TO '" + parquet + "' (FORMAT parquet)");
            }
            var result = runner.run(run(new TabularAsset(parquet, TabularAsset.Format.PARQUET), "SELECT count(*) AS n FROM asset",
                    NO_GUARD, Duration.ofSeconds(30), 256L << 20, new CancellationSignal()));

            assertThat(((JobOutput.Table) result.getContent()).rows()).containsExactly(List.of(403L));
        }

        @Test
        void run_whenTheResultIsTooLarge_shouldFail() {
            assertThat(failure("SELECT * FROM asset a, asset b", NO_GUARD)).contains("more than 1000 rows");
        }
    }

    @Nested
    class BadInput {

        @Test
        void run_malformedSql_shouldFailClearly() {
            assertThat(failure("SELEC region FROM asset", NO_GUARD)).startsWith("malformed SQL").contains("syntax error");
        }

        @Test
        void run_unknownColumn_shouldNameIt() {
            assertThat(failure("SELECT salary FROM asset", NO_GUARD)).contains("Binder Error").contains("salary");
        }

        @ParameterizedTest
        @ValueSource(strings = {"DROP TABLE asset", "INSERT INTO asset SELECT * FROM asset", "COPY asset TO '/tmp/leak.csv'",
                "ATTACH '/tmp/other.db'", "INSTALL httpfs", "LOAD httpfs", "SET enable_external_access = true", "CREATE TABLE x AS SELECT 1",
                "UPDATE asset SET temperature = 0"})
        void run_aStatementThatIsNotASelect_shouldBeRefused(String sql) {
            assertThat(failure(sql, NO_GUARD)).contains("only a SELECT");
        }

        @Test
        void run_hostileJobs_shouldLeaveTheHoldersFileAsItWas() throws Exception {
            var before = java.nio.file.Files.readAllBytes(asset);
            for (var sql : List.of("DROP TABLE asset", "COPY (SELECT 1) TO '" + asset + "' (USE_TMP_FILE false)", "DELETE FROM asset",
                    "SELECT * FROM asset; DROP TABLE asset", "UPDATE asset SET temperature = 0")) {
                runner.run(run(asset, sql, NO_GUARD));
            }

            assertThat(java.nio.file.Files.readAllBytes(asset)).isEqualTo(before);
            assertThat(table("SELECT count(*) FROM asset", NO_GUARD).rows()).containsExactly(List.of(403L));
        }

        @Test
        void run_twoStatements_shouldBeRefused() {
            assertThat(failure("SELECT 1; SELECT 2", NO_GUARD)).contains("exactly one SELECT");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')",
                "SELECT * FROM glob('/etc/*')", "SELECT * FROM duckdb_settings()", "SELECT * FROM 'other.csv'",
                "SELECT * FROM information_schema.tables", "SELECT * FROM other_table", "SELECT (SELECT count(*) FROM read_parquet('x.parquet'))"})
        void run_readingAnythingButTheAsset_shouldBeRefused(String sql) {
            assertThat(failure(sql, NO_GUARD)).containsAnyOf("may read only the table 'asset'", "may not call the table function");
        }

        @Test
        void run_pastItsTimeLimit_shouldBeStopped() {
            var result = runner.run(run(new TabularAsset(asset, TabularAsset.Format.CSV),
                    "SELECT sum(a.id * b.id * c.id) FROM asset a, asset b, asset c, asset d", NO_GUARD, Duration.ofMillis(300), 256L << 20,
                    new CancellationSignal()));

            assertThat(result.getFailureDetail()).contains("time limit of PT0.3S exceeded");
        }

        @Test
        void run_whenCancelled_shouldStop() {
            var signal = new CancellationSignal();
            timer.schedule(signal::cancel, 300, java.util.concurrent.TimeUnit.MILLISECONDS);

            var result = runner.run(run(new TabularAsset(asset, TabularAsset.Format.CSV),
                    "SELECT sum(a.id * b.id * c.id) FROM asset a, asset b, asset c, asset d", NO_GUARD, Duration.ofSeconds(60), 256L << 20, signal));

            assertThat(result.getFailureDetail()).isEqualTo("the job was cancelled");
        }

        @Test
        void run_whenCancelledBeforeTheStatementStarts_shouldNotRunIt() {
            var signal = new CancellationSignal();
            signal.cancel();

            // the bound only catches a statement left running to the job's time limit (10 minutes)
            var result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runner.run(run(new TabularAsset(asset, TabularAsset.Format.CSV),
                    "SELECT sum(a.id * b.id * c.id) FROM asset a, asset b, asset c, asset d", NO_GUARD, Duration.ofMinutes(10), 256L << 20, signal)));

            assertThat(result.getFailureDetail()).isEqualTo("the job was cancelled");
        }

        @Test
        void run_pastItsMemoryLimit_shouldFail() {
            var result = runner.run(run(new TabularAsset(asset, TabularAsset.Format.CSV),
                    "SELECT length(string_agg(repeat('x', 1000), ',')) FROM asset a, asset b", NO_GUARD, Duration.ofSeconds(60), 64L << 20,
                    new CancellationSignal()));

            assertThat(result.getFailureDetail()).contains("Out of Memory");
        }
    }

    @Nested
    class OutputGuard {

        private final OptionalLong k = OptionalLong.of(5);

        @Test
        void run_groupsOfAtLeastK_shouldPassWithoutTheGuardsColumns() {
            var table = table("SELECT region, count(*) AS machines, avg(temperature) AS avg_temp FROM asset "
                    + "WHERE region <> 'Okinawa' GROUP BY region ORDER BY region", k);

            assertThat(table.columns()).containsExactly("region", "machines", "avg_temp");
            assertThat(table.rows()).hasSize(4).allSatisfy(row -> assertThat(row).hasSize(3));
        }

        @Test
        void run_aWholeTableAggregate_shouldPass() {
            assertThat(table("SELECT count(*) AS n, sum(spindle_hours) AS hours FROM asset", k).rows()).hasSize(1);
        }

        @Test
        void run_whenOneGroupIsSmallerThanK_shouldRefuseTheWholeResult() {
            assertThat(failure("SELECT region, avg(temperature) FROM asset GROUP BY region", k))
                    .startsWith("output guard (ai.minAggregation = 5)").contains("group of 3 source rows");
        }

        @Test
        void run_selectStar_shouldBeRefusedAsRawRows() {
            assertThat(failure("SELECT * FROM asset", k)).contains("raw rows");
        }

        @Test
        void run_limitOneOnRawRows_shouldBeRefused() {
            assertThat(failure("SELECT temperature FROM asset ORDER BY id LIMIT 1", k)).contains("raw rows");
        }

        @Test
        void run_groupByAUniqueKey_shouldBeRefusedByTheCount() {
            assertThat(failure("SELECT id, sum(temperature) FROM asset GROUP BY id", k)).contains("group of 1 source rows");
        }

        @Test
        void run_groupByAllWithSelectStar_shouldBeRefusedByTheCount() {
            assertThat(failure("SELECT *, count(*) FROM asset GROUP BY ALL", k)).contains("group of 1 source rows");
        }

        @Test
        void run_havingCountBelowK_shouldBeRefused() {
            assertThat(failure("SELECT region, avg(temperature) FROM asset GROUP BY region HAVING count(*) < 5", k))
                    .contains("group of 3 source rows");
        }

        @Test
        void run_aWhereThatSinglesOutOneRow_shouldBeRefused() {
            assertThat(failure("SELECT avg(spindle_hours) FROM asset WHERE id = 7", k)).contains("group of 1 source rows");
        }

        @Test
        void run_anAggregateOverOneNonNullValue_shouldBeRefused() {
            assertThat(failure("SELECT region, avg(bonus) FROM asset WHERE region = 'Aichi' GROUP BY region", k))
                    .contains("aggregates 1 non-null values");
        }

        @Test
        void run_aWindowFunction_shouldBeRefused() {
            assertThat(failure("SELECT id, count(*) OVER () FROM asset", k)).contains("window functions");
            assertThat(failure("SELECT region, sum(temperature) OVER (PARTITION BY region) FROM asset", k)).contains("window functions");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SELECT region, max(temperature) FROM asset GROUP BY region", "SELECT min(spindle_hours) FROM asset",
                "SELECT list(id) FROM asset", "SELECT arg_max(id, temperature) FROM asset", "SELECT first(id) FROM asset",
                "SELECT quantile_disc(temperature, 0.5) FROM asset", "SELECT string_agg(machine, ',') FROM asset"})
        void run_anAggregateThatReturnsOneRowsValue_shouldBeRefused(String sql) {
            assertThat(failure(sql, k)).contains("can return a single row's value");
        }

        @Test
        void run_anExpressionInsideAnAggregate_shouldBeRefused() {
            assertThat(failure("SELECT region, sum(CASE WHEN id = 7 THEN spindle_hours ELSE 0 END) FROM asset GROUP BY region", k))
                    .contains("must be a column");
        }

        @Test
        void run_aFilterOnAnAggregate_shouldBeRefused() {
            assertThat(failure("SELECT region, sum(spindle_hours) FILTER (WHERE id = 7) FROM asset GROUP BY region", k))
                    .contains("FILTER");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SELECT count(*) FROM (SELECT * FROM asset WHERE id = 7)",
                "SELECT a.region, count(*) FROM asset a JOIN asset b ON a.id = b.id GROUP BY a.region",
                "WITH one AS (SELECT * FROM asset WHERE id = 7) SELECT count(*) FROM one",
                "SELECT count(*) FROM asset UNION ALL SELECT id FROM asset",
                "SELECT count(*) FROM asset WHERE id = (SELECT max(id) FROM asset)",
                "SELECT DISTINCT region FROM asset",
                "SELECT count(*) FROM asset QUALIFY true"})
        void run_shapesOtherThanAGroupedAggregate_shouldBeRefused(String sql) {
            assertThat(failure(sql, k)).startsWith("output guard");
        }

        @Test
        void run_distinctInsideAnAggregateOtherThanCount_shouldBeRefused() {
            assertThat(failure("SELECT region, sum(DISTINCT spindle_hours) FROM asset GROUP BY region", k)).contains("DISTINCT");
            assertThat(table("SELECT count(DISTINCT machine) AS machines FROM asset", k).rows()).containsExactly(List.of(7L));
        }

        @Test
        void run_rollupAndGroupingSets_shouldBeCountedPerOutputRow() {
            assertThat(failure("SELECT region, count(*) FROM asset GROUP BY ROLLUP (region)", k)).contains("group of 3 source rows");
            assertThat(table("SELECT region, count(*) FROM asset WHERE region <> 'Okinawa' GROUP BY ROLLUP (region)", k).rows()).hasSize(5);
            assertThat(failure("SELECT id, sum(temperature) FROM asset GROUP BY GROUPING SETS ((id), ())", k)).contains("group of 1 source rows");
        }

        @Test
        void run_aForbiddenAggregateInHavingOrOrderBy_shouldBeRefused() {
            assertThat(failure("SELECT region, count(*) FROM asset GROUP BY region HAVING max(temperature) > 58", k)).contains("'max'");
            assertThat(failure("SELECT region, count(*) FROM asset GROUP BY region ORDER BY min(id)", k)).contains("'min'");
        }

        @Test
        void run_whenNoGroupQualifies_shouldReturnNoRows() {
            assertThat(table("SELECT region, count(*) FROM asset GROUP BY region HAVING count(*) > 1000", k).rows()).isEmpty();
        }
    }

    /** Under a k guard on personal data (trips naming their passenger) groups are counted in distinct passengers. */
    @Nested
    class OutputGuardOverPersonalData {

        private static final String SUBJECT = "passenger";
        private final OptionalLong k = OptionalLong.of(10);
        private Path trips;

        @BeforeEach
        void trips() throws Exception {
            trips = SqlTestFixtures.tripsCsv(dir);
        }

        private JobOutput.Table personal(String query) {
            var result = runner.run(run(trips, SUBJECT, query, k));
            assertThat(result.succeeded()).as(result.succeeded() ? "" : result.getFailureDetail()).isTrue();
            return (JobOutput.Table) result.getContent();
        }

        private String refusedOverPersonal(String query) {
            var result = runner.run(run(trips, SUBJECT, query, k));
            assertThat(result.failed()).as("query should be refused: " + query).isTrue();
            return result.getFailureDetail();
        }

        private JobOutput.Table withoutSubjectField(String query) {
            var result = runner.run(run(trips, query, k));
            assertThat(result.succeeded()).as(result.succeeded() ? "" : result.getFailureDetail()).isTrue();
            return (JobOutput.Table) result.getContent();
        }

        @Test
        void run_tenTripsOfOnePassenger_shouldBeRefusedNamingTheRule_butPassAsRowsWithoutASubjectField() {
            var query = "SELECT zone, count(*) AS trips, avg(fare) AS mean_fare FROM asset WHERE zone = 'Solo' GROUP BY zone";

            assertThat(refusedOverPersonal(query)).isEqualTo(
                    "output guard (ai.minAggregation = 10): a group covers 1 data subject (passenger); ai.minAggregation requires at least 10");
            assertThat(withoutSubjectField(query).rows()).singleElement().satisfies(row -> assertThat(row.subList(0, 2)).containsExactly("Solo", 10L));
        }

        @Test
        void run_tenPassengers_shouldPassWithoutTheGuardsColumns() {
            var table = personal("SELECT zone, count(*) AS trips, count(DISTINCT passenger) AS passengers, avg(fare) AS mean_fare FROM asset "
                    + "WHERE zone = 'Crowd' GROUP BY zone");

            assertThat(table.columns()).containsExactly("zone", "trips", "passengers", "mean_fare");
            assertThat(table.rows()).singleElement().satisfies(row -> assertThat(row.subList(0, 3)).containsExactly("Crowd", 30L, 10L));
        }

        @Test
        void run_groupByTheSubject_shouldBeRefusedByTheCount() {
            // each group holds ten trips, which a count of rows lets through
            var query = "SELECT passenger, avg(fare) FROM asset WHERE zone = 'Solo' GROUP BY passenger";

            assertThat(refusedOverPersonal(query)).contains("a group covers 1 data subject (passenger)");
            assertThat(withoutSubjectField(query).rows()).hasSize(1);
        }

        @Test
        void run_aWhereThatNarrowsAGroupToOnePassenger_shouldBeRefused() {
            // ten tipped trips in Crowd, all of C01
            var query = "SELECT zone, count(*), avg(fare) FROM asset WHERE tip IS NOT NULL GROUP BY zone";

            assertThat(refusedOverPersonal(query)).contains("a group covers 1 data subject");
            assertThat(withoutSubjectField(query).rows()).hasSize(1);
        }

        @Test
        void run_anAggregateOverOnePassengersNonNullValues_shouldBeRefused() {
            // thirty trips of ten passengers, but every tip is C01's: the mean tip is C01's
            var query = "SELECT zone, count(*), avg(tip) FROM asset WHERE zone = 'Crowd' GROUP BY zone";

            assertThat(refusedOverPersonal(query)).isEqualTo("output guard (ai.minAggregation = 10): a result row aggregates the non-null values "
                    + "of a column of 1 data subject (passenger); ai.minAggregation requires at least 10");
            assertThat(withoutSubjectField(query).rows()).hasSize(1);
        }

        @Test
        void run_rollupOverPersonalData_shouldCountSubjectsPerOutputRow() {
            assertThat(refusedOverPersonal("SELECT zone, count(*) FROM asset GROUP BY ROLLUP (zone)")).contains("a group covers 1 data subject");
            assertThat(personal("SELECT band, count(*) FROM asset WHERE zone = 'Crowd' GROUP BY ROLLUP (band)").rows()).hasSize(3);
        }

        @ParameterizedTest
        @ValueSource(strings = {"SELECT zone, sum(passenger) FROM asset GROUP BY zone", "SELECT avg(CAST(passenger AS INTEGER)) FROM asset",
                "SELECT zone, stddev(asset.passenger) FROM asset GROUP BY zone"})
        void run_anAggregateOfTheSubjectColumnOtherThanCount_shouldBeRefused(String sql) {
            assertThat(refusedOverPersonal(sql)).contains("reads the data-subject column 'passenger'; only count may");
        }

        @Test
        void run_countingTheSubjects_shouldPassOnlyWhereTheGuardAllows() {
            assertThat(personal("SELECT count(DISTINCT passenger) AS passengers, count(passenger) AS trips FROM asset").rows())
                    .containsExactly(List.of(11L, 40L));
            assertThat(refusedOverPersonal("SELECT zone, count(DISTINCT passenger) FROM asset GROUP BY zone")).contains("a group covers 1 data subject");
        }

        @Test
        void run_renamingTheAssetsColumns_shouldBeRefused() {
            // t(passenger) would name trip_id 'passenger', and the guard would count trips as passengers
            assertThat(refusedOverPersonal("SELECT zone, count(*) FROM asset AS t(passenger, trip_id) GROUP BY zone"))
                    .contains("its columns may not be renamed");
            assertThat(personal("SELECT t.zone, count(*) FROM asset AS t WHERE t.zone = 'Crowd' GROUP BY t.zone").rows()).hasSize(1);
        }

        @Test
        void run_anAliasNamedLikeTheSubjectColumn_shouldNotChangeWhatIsCounted() {
            // if the guard's count bound to the alias it would count one value per group; it counts the passengers
            assertThat(personal("SELECT zone AS passenger, count(*) FROM asset WHERE zone = 'Crowd' GROUP BY zone").rows()).hasSize(1);
            assertThat(refusedOverPersonal("SELECT band AS passenger, count(*) FROM asset WHERE zone = 'Solo' GROUP BY band"))
                    .contains("a group covers 1 data subject");
        }

        @Test
        void run_whenTheAssetLacksItsSubjectColumn_shouldFailRatherThanCountRows() {
            var result = runner.run(run(trips, "customer_id", "SELECT zone, count(*) FROM asset GROUP BY zone", k));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("customer_id");
        }
    }
}
