package io.kakehashi.ai.ml;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobType;
import org.eclipse.edc.spi.result.Result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the vendor's ONNX model (the job's model bytes) on the asset with ONNX Runtime and returns only metrics.
 * Parameters: {@code features} (the asset's columns, in the model's input order), {@code label}, {@code task}
 * ({@code classification}: accuracy, confusion matrix and, for two classes, AUC — the model's output is one score per
 * class in the order of {@code labels}; {@code regression}: RMSE and MAE of a one-value output). The model must be a
 * self-contained ONNX model ({@link OnnxModelCheck}) with one float input of shape [n, features]; a model that asks
 * for other inputs is refused. Under {@code ai.minAggregation = k} the metrics must cover at least k rows — over
 * personal data, at least k distinct data subjects. Thread-safe.
 */
public final class OnnxEvaluationRunner implements JobRunner {

    public static final String FEATURES = "features";
    public static final String LABEL = "label";
    public static final String TASK = "task";
    public static final String LABELS = "labels";

    private final int maxModelBytes;

    public OnnxEvaluationRunner(int maxModelBytes) {
        this.maxModelBytes = maxModelBytes;
    }

    @Override
    public JobType type() {
        return JobType.EVALUATION;
    }

    @Override
    public Result<Void> validate(JobDescription description) {
        var model = OnnxModelCheck.given(description.model(), maxModelBytes, "an evaluation job");
        if (model.failed()) {
            return model.mapFailure();
        }
        var features = AssetColumns.names(FEATURES, description.parameter(FEATURES).orElse(null));
        if (features.failed()) {
            return Result.failure(features.getFailureDetail());
        }
        var label = AssetColumns.names(LABEL, description.parameter(LABEL).orElse(null));
        if (label.failed() || label.getContent().size() != 1) {
            return Result.failure("label: name one column");
        }
        var task = description.parameter(TASK).orElse("");
        if (task.equals("classification")) {
            var labels = ClassificationMetrics.labels(description.parameter(LABELS).orElse(""));
            return labels.size() >= 2 ? Result.success() : Result.failure("labels: a classification names its classes in the model's output order");
        }
        return task.equals("regression") ? Result.success() : Result.failure("task: 'classification' or 'regression', not '%s'".formatted(task));
    }

    @Override
    public Result<JobOutput> run(JobRun run) {
        var valid = validate(run.description());
        if (valid.failed()) {
            return Result.failure(valid.getFailureDetail());
        }
        var description = run.description();
        var bytes = description.model().orElseThrow();
        var features = AssetColumns.names(FEATURES, description.parameter(FEATURES).orElseThrow()).getContent();
        var data = AssetColumns.read(run.asset(), features, description.parameter(LABEL).orElseThrow().strip(), run.limits().memoryLimitBytes());
        if (data.failed()) {
            return Result.failure(data.getFailureDetail());
        }
        var refused = Coverage.refusal(run.minimumGroupSize(), data.getContent(), "the metrics would cover");
        if (refused.isPresent()) {
            return Result.failure(refused.get());
        }
        run.progress().accept(0.2);
        var outputs = OnnxScoring.score(bytes, features.size(), data.getContent().features(), run.cancellation()::isCancelled,
                done -> run.progress().accept(0.2 + 0.7 * done));
        if (outputs.failed()) {
            return Result.failure(outputs.getFailureDetail());
        }
        run.progress().accept(0.9);
        return "regression".equals(description.parameter(TASK).orElseThrow())
                ? regression(data.getContent().labels(), outputs.getContent())
                : classification(data.getContent().labels(), outputs.getContent(),
                ClassificationMetrics.labels(description.parameter(LABELS).orElseThrow()));
    }

    private static Result<JobOutput> classification(String[] actual, float[][] scores, List<String> labels) {
        var predicted = new String[actual.length];
        var binary = labels.size() == 2;
        var positive = binary ? new double[actual.length] : null;
        for (var i = 0; i < actual.length; i++) {
            var label = OnnxScoring.argmax(scores[i], labels);
            if (label.failed()) {
                return Result.failure(label.getFailureDetail());
            }
            predicted[i] = label.getContent();
            if (binary) {
                positive[i] = scores[i][1];
            }
        }
        return Result.success(ClassificationMetrics.of(actual, predicted, positive, binary ? labels.get(1) : null));
    }

    private static Result<JobOutput> regression(String[] actual, float[][] outputs) {
        double squared = 0;
        double absolute = 0;
        for (var i = 0; i < actual.length; i++) {
            if (outputs[i].length != 1) {
                return Result.failure("a regression model must output one value per example, not %d".formatted(outputs[i].length));
            }
            double truth;
            try {
                truth = Double.parseDouble(actual[i]);
            } catch (NumberFormatException e) {
                return Result.failure("the label column is not numeric");
            }
            var error = outputs[i][0] - truth;
            squared += error * error;
            absolute += Math.abs(error);
        }
        var values = new LinkedHashMap<String, Double>();
        values.put("examples", (double) actual.length);
        values.put("rmse", Math.sqrt(squared / actual.length));
        values.put("mae", absolute / actual.length);
        return Result.success(new JobOutput.Metrics(values, Map.of()));
    }

}
