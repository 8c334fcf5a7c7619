package io.kakehashi.ai.ml;

import ai.onnx.proto.OnnxMl;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import static io.kakehashi.ai.ml.MlTestFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OnnxEvaluationRunnerTest {

    private static final Map<String, String> CLASSIFICATION = Map.of("features", "temperature,vibration,spindle_hours", "label", "failure",
            "task", "classification");

    @TempDir
    Path dir;
    private Path vendorData;
    private Path holderData;
    private final OnnxEvaluationRunner runner = new OnnxEvaluationRunner(10 << 20);
    private byte[] vendorModel;
    private String labels;

    /** The vendor trains on its own data and exports ONNX; the holder's data is another sample of the same process. */
    @BeforeEach
    void vendorModel() throws Exception {
        vendorData = MlTestFixtures.machineCsv(dir.resolve("vendor.csv"), 2000, 11, 0);
        holderData = MlTestFixtures.machineCsv(dir.resolve("holder.csv"), 1500, 12, 0);
        var training = JobDescription.of(JobType.TRAINING, Map.of("features", "temperature,vibration,spindle_hours", "label", "failure", "epochs", "20"));
        vendorModel = ((JobOutput.Model) new TrainingJobRunner().run(run(vendorData, training, OptionalLong.empty(), true)).getContent()).onnx();
        labels = OnnxMl.ModelProto.parseFrom(vendorModel).getMetadataPropsList().stream()
                .filter(entry -> entry.getKey().equals(TrainingJobRunner.LABELS_METADATA)).findFirst().orElseThrow().getValue();
    }

    private JobDescription evaluation(byte[] model, Map<String, String> parameters) {
        var all = new HashMap<>(parameters);
        all.putIfAbsent("labels", labels);
        return new JobDescription(JobType.EVALUATION, all, model);
    }

    @Test
    void run_aClassifier_shouldReturnOnlyMetrics() {
        var result = runner.run(run(holderData, evaluation(vendorModel, CLASSIFICATION), OptionalLong.empty(), false));

        var metrics = (JobOutput.Metrics) result.getContent();
        assertThat(metrics.values()).containsOnlyKeys("examples", "accuracy", "auc");
        assertThat(metrics.values().get("examples")).isEqualTo(1500.0);
        assertThat(metrics.values().get("accuracy")).isGreaterThan(0.75);
        assertThat(metrics.values().get("auc")).isGreaterThan(0.8);
        assertThat(metrics.confusion().values().stream().flatMap(row -> row.values().stream()).mapToLong(Long::longValue).sum()).isEqualTo(1500);
    }

    @Test
    void run_aRegressionModel_shouldReturnRmse() {
        // wear = 2·vibration + 0.5·spindle_hours (+ noise of σ 0.1): a hand-built linear ONNX model with those weights
        var model = LinearOnnxModel.of(new float[]{2f, 0.5f}, 0f);
        var parameters = Map.of("features", "vibration,spindle_hours", "label", "wear", "task", "regression");

        var metrics = (JobOutput.Metrics) runner.run(run(holderData, evaluation(model, parameters), OptionalLong.empty(), false)).getContent();

        assertThat(metrics.values().get("rmse")).isCloseTo(0.1, within(0.02));
        assertThat(metrics.confusion()).isEmpty();
    }

    @Test
    void run_aMalformedModel_shouldBeRefused() {
        var result = runner.run(run(holderData, evaluation(new byte[]{1, 2, 3, 4, 5}, CLASSIFICATION), OptionalLong.empty(), false));

        assertThat(result.getFailureDetail()).startsWith("the model is not a valid ONNX model");
    }

    @Test
    void run_aModelAskingForMoreInputsThanTheJobGives_shouldBeRefused() {
        var parameters = new HashMap<>(CLASSIFICATION);
        parameters.put("features", "temperature,vibration");

        var result = runner.run(run(holderData, evaluation(vendorModel, parameters), OptionalLong.empty(), false));

        assertThat(result.getFailureDetail()).contains("the job gives 2 features");
    }

    @Test
    void run_aModelNeedingAColumnTheAssetLacks_shouldBeRefused() {
        var parameters = new HashMap<>(CLASSIFICATION);
        parameters.put("features", "temperature,vibration,coolant_pressure");

        var result = runner.run(run(holderData, evaluation(vendorModel, parameters), OptionalLong.empty(), false));

        assertThat(result.getFailureDetail()).isEqualTo("the asset has no column 'coolant_pressure'");
    }

    @Test
    void run_aModelReadingExternalData_shouldBeRefusedBeforeItLoads() throws Exception {
        var proto = OnnxMl.ModelProto.parseFrom(vendorModel);
        var graph = proto.getGraph().toBuilder();
        var weights = graph.getInitializer(0).toBuilder().clearRawData().clearFloatData()
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("/etc/passwd"));
        graph.setInitializer(0, weights);
        var forged = proto.toBuilder().setGraph(graph).build().toByteArray();

        var result = runner.run(run(holderData, evaluation(forged, CLASSIFICATION), OptionalLong.empty(), false));

        assertThat(result.getFailureDetail()).contains("external data");
    }

    @Test
    void run_whenTheClassesDoNotMatchTheOutput_shouldBeRefused() {
        var parameters = new HashMap<>(CLASSIFICATION);
        parameters.put("labels", "no,yes,maybe");

        var result = runner.run(run(holderData, evaluation(vendorModel, parameters), OptionalLong.empty(), false));

        assertThat(result.getFailureDetail()).contains("the model scores 2 classes; the job names 3");
    }

    @Test
    void run_underAGuardLargerThanTheAsset_shouldBeRefused() {
        var result = runner.run(run(holderData, evaluation(vendorModel, CLASSIFICATION), OptionalLong.of(5000), false));

        assertThat(result.getFailureDetail()).startsWith("output guard (ai.minAggregation = 5000)");
    }

    @Test
    void validate_withoutAModelOrATask_shouldSayWhat() {
        assertThat(runner.validate(JobDescription.of(JobType.EVALUATION, CLASSIFICATION)).getFailureDetail()).startsWith("model");
        var parameters = new HashMap<>(CLASSIFICATION);
        parameters.put("task", "clustering");
        assertThat(runner.validate(new JobDescription(JobType.EVALUATION, parameters, vendorModel)).getFailureDetail()).startsWith("task");
        assertThat(new OnnxEvaluationRunner(10).validate(evaluation(vendorModel, CLASSIFICATION)).getFailureDetail()).contains("larger than 10 bytes");
    }
}
