package io.kakehashi.ai.ml;

import ai.onnx.proto.OnnxMl;
import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.core.ComputeTestFixtures;
import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.core.InMemoryEpsilonLedger;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.kakehashi.ai.core.ComputeTestFixtures.constraint;
import static io.kakehashi.ai.core.ComputeTestFixtures.useOnlyIf;
import static io.kakehashi.ai.ml.MlTestFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

class PredictionJobRunnerTest {

    private static final String FEATURES = "temperature,vibration,spindle_hours";

    @TempDir
    Path dir;
    private final PredictionJobRunner runner = new PredictionJobRunner(10 << 20);
    private byte[] vendorModel;
    private String labels;
    private Path holderData;

    @BeforeEach
    void vendorModelAndHolderData() throws Exception {
        var vendorData = MlTestFixtures.machineCsv(dir.resolve("vendor.csv"), 2000, 11, 0);
        var training = JobDescription.of(JobType.TRAINING, Map.of("features", FEATURES, "label", "failure", "epochs", "20"));
        vendorModel = ((JobOutput.Model) new TrainingJobRunner().run(run(vendorData, training, OptionalLong.empty(), true)).getContent()).onnx();
        labels = OnnxMl.ModelProto.parseFrom(vendorModel).getMetadataPropsList().stream()
                .filter(entry -> entry.getKey().equals(TrainingJobRunner.LABELS_METADATA)).findFirst().orElseThrow().getValue();
        // 400 machines in Kanto, 3 in Okinawa: any class of Okinawa is a group under k = 5
        var random = new Random(5);
        var csv = new StringBuilder("id,temperature,vibration,spindle_hours,region\n");
        for (var i = 0; i < 403; i++) {
            csv.append(i).append(',').append("%.3f".formatted(50 + random.nextGaussian() * 10)).append(',')
                    .append("%.3f".formatted(random.nextGaussian() * 2)).append(',').append("%.3f".formatted(random.nextDouble() * 10)).append(',')
                    .append(i < 400 ? "kanto" : "okinawa").append('\n');
        }
        holderData = Files.writeString(dir.resolve("holder.csv"), csv);
    }

    private JobDescription predict(Map<String, String> parameters) {
        var all = new HashMap<>(parameters);
        all.putIfAbsent("labels", labels);
        all.putIfAbsent("features", FEATURES);
        return new JobDescription(JobType.PREDICT, all, vendorModel);
    }

    @Test
    void run_withoutGroups_shouldReturnCountsPerClassOnly() {
        var table = (JobOutput.Table) runner.run(run(holderData, predict(Map.of()), OptionalLong.empty(), false)).getContent();

        assertThat(table.columns()).containsExactly("prediction", "rows");
        assertThat(table.rows()).allSatisfy(row -> assertThat(List.of("yes", "no")).contains((String) row.get(0)));
        assertThat(table.rows().stream().mapToLong(row -> (Long) row.get(1)).sum()).isEqualTo(403);
    }

    @Test
    void run_whenAGroupIsUnderK_shouldSuppressItAndReleaseTheOthers() {
        var table = (JobOutput.Table) runner.run(run(holderData, predict(Map.of("groupBy", "region")), OptionalLong.of(5), false)).getContent();

        assertThat(table.columns()).containsExactly("prediction", "region", "rows");
        assertThat(table.rows()).isNotEmpty().allSatisfy(row -> {
            assertThat(row.get(1)).isEqualTo("kanto");
            assertThat((Long) row.get(2)).isGreaterThanOrEqualTo(5);
        });
        assertThat(table.rows().stream().mapToLong(row -> (Long) row.get(2)).sum()).isEqualTo(400);
    }

    @Test
    void run_withoutAGuard_shouldStillReleaseCountsNotRows() {
        var table = (JobOutput.Table) runner.run(run(holderData, predict(Map.of("groupBy", "region")), OptionalLong.empty(), false)).getContent();

        assertThat(table.rows()).anySatisfy(row -> assertThat(row.get(1)).isEqualTo("okinawa"));
        assertThat(table.rows().size()).isLessThanOrEqualTo(4);
    }

    @Test
    void run_whenTheAssetHasFewerRowsThanK_shouldRefuse() {
        var result = runner.run(run(holderData, predict(Map.of()), OptionalLong.of(1000), false));

        assertThat(result.getFailureDetail()).isEqualTo("output guard (ai.minAggregation = 1000): the predictions would cover 403 rows");
    }

    @Test
    void run_groupedByTheDataSubject_overPersonalData_shouldReleaseNoCell() throws Exception {
        // 403 rows of 8 operators: every cell of prediction × operator holds dozens of rows, but one operator
        var personal = MlTestFixtures.withSubjects(holderData, dir.resolve("personal.csv"), 8);
        var byOperator = predict(Map.of("groupBy", MlTestFixtures.SUBJECT));

        var asRows = (JobOutput.Table) runner.run(run(personal, byOperator, OptionalLong.of(5), false)).getContent();
        var asSubjects = (JobOutput.Table) runner.run(MlTestFixtures.runOnPersonalData(personal, byOperator, OptionalLong.of(5), false)).getContent();

        assertThat(asRows.rows()).isNotEmpty();
        assertThat(asSubjects.rows()).isEmpty();
    }

    @Test
    void run_overPersonalDataCountingSubjects_shouldReleaseCellsOfAtLeastKSubjectsWithTheirRowCounts() throws Exception {
        var personal = MlTestFixtures.withSubjects(holderData, dir.resolve("personal.csv"), 8);

        var table = (JobOutput.Table) runner.run(MlTestFixtures.runOnPersonalData(personal, predict(Map.of()), OptionalLong.of(5), false)).getContent();

        assertThat(table.rows()).isNotEmpty();
        assertThat(table.rows().stream().mapToLong(row -> (Long) row.get(1)).sum()).isLessThanOrEqualTo(403).isGreaterThan(8);
        assertThat(runner.run(MlTestFixtures.runOnPersonalData(personal, predict(Map.of()), OptionalLong.of(10), false)).getFailureDetail())
                .isEqualTo("output guard (ai.minAggregation = 10): the predictions would cover 8 data subjects (operator_id); "
                        + "ai.minAggregation requires at least 10");
    }

    /** The job as the holder's job service runs it: decided in the compute scope, the guard's k from the agreement. */
    @Test
    void submit_underTheAgreement_shouldBeDecidedAndGuardedByTheJobService() throws Exception {
        var store = new InMemoryComputeJobStore();
        var executor = Executors.newSingleThreadExecutor();
        var watchdog = Executors.newSingleThreadScheduledExecutor();
        try {
            var service = new ComputeJobService(store, new InMemoryEpsilonLedger(),
                    ComputeTestFixtures.engine(store),
                    assetId -> Result.success(new TabularAsset(holderData, TabularAsset.Format.CSV)),
                    List.of(runner), executor, watchdog, new JobLimits(Duration.ofSeconds(60), 256L << 20),
                    Clock.systemUTC(), new ConsoleMonitor());
            var inference = ComputeTestFixtures.agreement(useOnlyIf(
                    constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "ai.inference"),
                    constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "5")));
            var analyticsOnly = ComputeTestFixtures.agreement(useOnlyIf(
                    constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));

            var job = service.submit(ComputeTestFixtures.VENDOR, inference, predict(Map.of("groupBy", "region"))).getContent();
            var done = service.whenFinished(job.id()).orElseThrow().get(60, TimeUnit.SECONDS);
            var refused = service.submit(ComputeTestFixtures.VENDOR, analyticsOnly, predict(Map.of())).getContent();
            var refusedDone = service.whenFinished(refused.id()).orElseThrow().get(60, TimeUnit.SECONDS);

            assertThat(done.state()).isEqualTo(JobState.COMPLETED);
            var table = (JobOutput.Table) service.result(job.id()).orElseThrow();
            assertThat(table.rows()).isNotEmpty().allSatisfy(row -> assertThat((Long) row.get(2)).isGreaterThanOrEqualTo(5))
                    .noneSatisfy(row -> assertThat(row.get(1)).isEqualTo("okinawa"));
            assertThat(refusedDone.state()).isEqualTo(JobState.FAILED);
            assertThat(refusedDone.reason()).startsWith("denied by policy: ").contains("purpose' EQ 'analytics'");
        } finally {
            executor.shutdownNow();
            watchdog.shutdownNow();
        }
    }

    @Test
    void validate_whenParametersAreMissing_shouldSayWhich() {
        assertThat(runner.validate(new JobDescription(JobType.PREDICT, Map.of("features", FEATURES, "labels", labels), null)).getFailureDetail())
                .startsWith("model:");
        assertThat(runner.validate(predict(Map.of("groupBy", "a,b"))).getFailureDetail()).isEqualTo("groupBy: name one column");
        assertThat(runner.validate(predict(Map.of("labels", "yes"))).getFailureDetail()).startsWith("labels:");
    }
}
