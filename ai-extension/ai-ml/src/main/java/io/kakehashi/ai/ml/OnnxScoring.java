package io.kakehashi.ai.ml;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.eclipse.edc.spi.result.Result;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Runs a vendor's ONNX model over rows of features inside the connector, the one way every model job and every model
 * run scores: the model is checked first ({@link OnnxModelCheck}: no external data), ONNX Runtime runs it with its
 * telemetry off and one intra-op and one inter-op thread, the model must take exactly one float tensor of shape
 * [n, features], and rows go through in batches of 1,024, stopping when cancelled. Stateless and thread-safe.
 */
public final class OnnxScoring {

    private static final int BATCH = 1024;

    private OnnxScoring() {
    }

    /**
     * The model's first output, one row of float scores per input row; a failure says why the model cannot be run
     * (its message never quotes the data).
     *
     * @param progress takes the fraction of rows scored, within [0, 1]
     */
    public static Result<float[][]> score(byte[] model, int featureCount, double[][] rows, BooleanSupplier cancelled, DoubleConsumer progress) {
        var checked = OnnxModelCheck.check(model);
        if (checked.failed()) {
            return Result.failure(checked.getFailureDetail());
        }
        var environment = OrtEnvironment.getEnvironment();
        try (var options = new OrtSession.SessionOptions()) {
            // nothing leaves the connector: ONNX Runtime's own usage telemetry stays off wherever the build has it
            environment.setTelemetry(false);
            // one thread each: a job shares the machine with the connector and other jobs
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (var session = environment.createSession(model, options)) {
                var input = input(session, featureCount);
                if (input.failed()) {
                    return Result.failure(input.getFailureDetail());
                }
                return score(environment, session, input.getContent(), rows, cancelled, progress);
            }
        } catch (OrtException e) {
            return Result.failure("the model cannot be run: " + firstLine(e.getMessage()));
        }
    }

    /** The label of the highest score, {@code labels} being the classes in the model's output order. */
    public static Result<String> argmax(float[] scores, List<String> labels) {
        if (scores.length != labels.size()) {
            return Result.failure("the model scores %d classes; the job names %d".formatted(scores.length, labels.size()));
        }
        var best = 0;
        for (var c = 1; c < scores.length; c++) {
            best = scores[c] > scores[best] ? c : best;
        }
        return Result.success(labels.get(best));
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
                    .formatted(entry.getKey(), Arrays.toString(shape), featureCount));
        }
        return Result.success(entry.getKey());
    }

    private static Result<float[][]> score(OrtEnvironment environment, OrtSession session, String input, double[][] rows,
                                           BooleanSupplier cancelled, DoubleConsumer progress) throws OrtException {
        var outputs = new float[rows.length][];
        for (var start = 0; start < rows.length; start += BATCH) {
            if (cancelled.getAsBoolean()) {
                return Result.failure("the job was cancelled");
            }
            var end = Math.min(rows.length, start + BATCH);
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
            progress.accept((double) end / rows.length);
        }
        return Result.success(outputs);
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
    }
}
