package io.kakehashi.ai.ml;

import ai.onnx.proto.OnnxMl;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import static io.kakehashi.ai.ml.MlTestFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

class TrainingJobRunnerTest {

    private static final JobDescription TRAINING = JobDescription.of(JobType.TRAINING,
            Map.of("features", "temperature,vibration,spindle_hours", "label", "failure", "epochs", "20"));

    @TempDir
    Path dir;
    private Path asset;
    private final TrainingJobRunner runner = new TrainingJobRunner();

    @BeforeEach
    void data() throws Exception {
        asset = MlTestFixtures.machineCsv(dir.resolve("machines.csv"), 2000, 7, 0);
    }

    @Test
    void run_whenTheModelMayNotLeave_shouldReturnOnlyMetrics() {
        var result = runner.run(run(asset, TRAINING, OptionalLong.empty(), false));

        assertThat(result.getContent()).isInstanceOf(JobOutput.Metrics.class);
        var metrics = (JobOutput.Metrics) result.getContent();
        assertThat(metrics.values().get("accuracy")).isGreaterThan(0.75);
        assertThat(metrics.values().get("auc")).isGreaterThan(0.8);
        assertThat(metrics.confusion()).containsOnlyKeys("no", "yes");
        assertThat(metrics.values().get("examples")).isBetween(300.0, 500.0);
    }

    @Test
    void run_whenTheModelMayLeave_shouldReturnItAsOnnxWithItsInputAndOutputOrder() throws Exception {
        var result = runner.run(run(asset, TRAINING, OptionalLong.empty(), true));

        var model = (JobOutput.Model) result.getContent();
        var proto = OnnxMl.ModelProto.parseFrom(model.onnx());
        assertThat(proto.getMetadataPropsList()).anySatisfy(entry -> {
            assertThat(entry.getKey()).isEqualTo(TrainingJobRunner.FEATURES_METADATA);
            assertThat(entry.getValue()).isEqualTo("temperature,vibration,spindle_hours");
        });
        assertThat(proto.getMetadataPropsList()).anySatisfy(entry -> assertThat(entry.getKey()).isEqualTo(TrainingJobRunner.LABELS_METADATA));
        assertThat(model.metrics().values().get("accuracy")).isGreaterThan(0.75);
    }

    @Test
    void run_whenTheGuardsKExceedsTheTestRows_shouldBeRefused() {
        var result = runner.run(run(asset, TRAINING, OptionalLong.of(1000), false));

        assertThat(result.getFailureDetail()).startsWith("output guard (ai.minAggregation = 1000)");
    }

    @Test
    void run_overPersonalDataOfFewerSubjectsThanK_shouldBeRefused_thoughItsRowsWouldPass() throws Exception {
        // 2,000 rows of 5 operators: each part of the split has hundreds of rows but the same 5 people
        var personal = MlTestFixtures.withSubjects(asset, dir.resolve("operators.csv"), 5);

        assertThat(runner.run(run(personal, TRAINING, OptionalLong.of(10), false)).succeeded()).isTrue();
        assertThat(runner.run(MlTestFixtures.runOnPersonalData(personal, TRAINING, OptionalLong.of(10), false)).getFailureDetail())
                .isEqualTo("output guard (ai.minAggregation = 10): training covers 5 and testing 5 data subjects (operator_id); "
                        + "ai.minAggregation requires at least 10 in each");
    }

    @Test
    void run_overPersonalDataOfAtLeastKSubjects_shouldTrain() throws Exception {
        var personal = MlTestFixtures.withSubjects(asset, dir.resolve("operators.csv"), 40);

        var result = runner.run(MlTestFixtures.runOnPersonalData(personal, TRAINING, OptionalLong.of(10), false));

        assertThat(result.succeeded()).as(result.succeeded() ? "" : result.getFailureDetail()).isTrue();
        assertThat(result.getContent()).isInstanceOf(JobOutput.Metrics.class);
    }

    @Test
    void run_whenAFeatureIsNotInTheAsset_shouldNameIt() {
        var description = JobDescription.of(JobType.TRAINING, Map.of("features", "temperature,pressure", "label", "failure"));

        assertThat(runner.run(run(asset, description, OptionalLong.empty(), false)).getFailureDetail()).isEqualTo("the asset has no column 'pressure'");
    }

    @Test
    void run_whenAFeatureIsNotNumeric_shouldSaySo() {
        var description = JobDescription.of(JobType.TRAINING, Map.of("features", "temperature,failure", "label", "id"));

        assertThat(runner.run(run(asset, description, OptionalLong.empty(), false)).getFailureDetail()).contains("not numeric");
    }

    @Test
    void validate_whenParametersAreMissingOrMalformed_shouldSayWhich() {
        assertThat(runner.validate(JobDescription.of(JobType.TRAINING, Map.of("label", "failure"))).getFailureDetail()).startsWith("features");
        assertThat(runner.validate(JobDescription.of(JobType.TRAINING, Map.of("features", "a", "label", "x,y"))).getFailureDetail()).startsWith("label");
        assertThat(runner.validate(JobDescription.of(JobType.TRAINING, Map.of("features", "a\"; DROP", "label", "x"))).getFailureDetail())
                .contains("is not a column name");
        assertThat(runner.validate(JobDescription.of(JobType.TRAINING, Map.of("features", "a", "label", "x", "epochs", "0"))).getFailureDetail())
                .startsWith("epochs");
        assertThat(runner.validate(JobDescription.of(JobType.TRAINING, Map.of("features", "a", "label", "x", "testFraction", "0.9"))).failed()).isTrue();
    }
}
