package io.kakehashi.ai.ml;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
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
 * for other inputs is refused. Under {@code ai.minAggregation = k} the metrics must cover at least k rows.
 * Thread-safe.
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
        var model = description.model();
        if (model.isEmpty() || model.get().length == 0) {
            return Result.failure("model: an evaluation job needs the ONNX model");
        }
        if (model.get().length > maxModelBytes) {
            return Result.failure("model: larger than %d bytes".formatted(maxModelBytes));
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
        var checked = OnnxModelCheck.check(bytes);
        if (checked.failed()) {
            return Result.failure(checked.getFailureDetail());
        }
        var features = AssetColumns.names(FEATURES, description.parameter(FEATURES).orElseThrow()).getContent();
        var data = AssetColumns.read(run.asset(), features, description.parameter(LABEL).orElseThrow().strip(), run.limits().memoryLimitBytes());
        if (data.failed()) {
            return Result.failure(data.getFailureDetail());
        }
        if (run.minimumGroupSize().isPresent() && data.getContent().rows() < run.minimumGroupSize().getAsLong()) {
            return Result.failure("output guard (ai.minAggregation = %d): the metrics would cover %d rows"
                    .formatted(run.minimumGroupSize().getAsLong(), data.getContent().rows()));
        }
        run.progress().accept(0.2);
        var environment = OrtEnvironment.getEnvironment();
        try (var options = new OrtSession.SessionOptions()) {
            // nothing leaves the connector: ONNX Runtime's own usage telemetry stays off wherever the build has it
            environment.setTelemetry(false);
            // one thread each: a job shares the machine with the connector and other jobs
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (var session = environment.createSession(bytes, options)) {
                var input = input(session, features.size());
                if (input.failed()) {
                    return Result.failure(input.getFailureDetail());
                }
                var outputs = predict(environment, session, input.getContent(), data.getContent().features(), run);
                if (outputs.failed()) {
                    return Result.failure(outputs.getFailureDetail());
                }
                run.progress().accept(0.9);
                return "regression".equals(description.parameter(TASK).orElseThrow())
                        ? regression(data.getContent().labels(), outputs.getContent())
                        : classification(data.getContent().labels(), outputs.getContent(),
                        ClassificationMetrics.labels(description.parameter(LABELS).orElseThrow()));
            }
        } catch (OrtException e) {
            return Result.failure("the model cannot be run: " + firstLine(e.getMessage()));
        }
    }

    private static Result<String> input(OrtSession session, int featureCount) throws OrtException {
        var inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            return Result.failure("the model asks for %d inputs %s; it must take one tensor of the job's features".formatted(inputs.size(), inputs.keySet()));
        }
        var entry = inputs.entrySet().iterator().next();
        if (!(entry.getValue().getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            return Result.failure("the model's input '%s' is not a float tensor".formatted(entry.getKey()));
        }
        var shape = tensor.getShape();
        if (shape.length != 2 || (shape[1] != -1 && shape[1] != featureCount)) {
            return Result.failure("the model's input '%s' has shape %s; the job gives %d features"
                    .formatted(entry.getKey(), java.util.Arrays.toString(shape), featureCount));
        }
        return Result.success(entry.getKey());
    }

    private static Result<float[][]> predict(OrtEnvironment environment, OrtSession session, String input, double[][] rows, JobRun run)
            throws OrtException {
        var outputs = new float[rows.length][];
        var batch = 1024;
        for (var start = 0; start < rows.length; start += batch) {
            if (run.cancellation().isCancelled()) {
                return Result.failure("the job was cancelled");
            }
            var end = Math.min(rows.length, start + batch);
            var values = new float[end - start][];
            for (var i = start; i < end; i++) {
                values[i - start] = new float[rows[i].length];
                for (var j = 0; j < rows[i].length; j++) {
                    values[i - start][j] = (float) rows[i][j];
                }
            }
            try (var tensor = OnnxTensor.createTensor(environment, values); var result = session.run(Map.of(input, tensor))) {
                if (!(result.get(0).getValue() instanceof float[][] scores) || scores.length != values.length) {
                    return Result.failure("the model's first output is not one row of float scores per example");
                }
                System.arraycopy(scores, 0, outputs, start, scores.length);
            }
            run.progress().accept(0.2 + 0.7 * end / rows.length);
        }
        return Result.success(outputs);
    }

    private static Result<JobOutput> classification(String[] actual, float[][] scores, List<String> labels) {
        var predicted = new String[actual.length];
        var binary = labels.size() == 2;
        var positive = binary ? new double[actual.length] : null;
        for (var i = 0; i < actual.length; i++) {
            if (scores[i].length != labels.size()) {
                return Result.failure("the model scores %d classes; the job names %d".formatted(scores[i].length, labels.size()));
            }
            var best = 0;
            for (var c = 1; c < scores[i].length; c++) {
                best = scores[i][c] > scores[i][best] ? c : best;
            }
            predicted[i] = labels.get(best);
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

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
    }
}
