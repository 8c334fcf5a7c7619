package io.kakehashi.ai.ml;

import ai.onnx.proto.OnnxMl;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobType;
import org.eclipse.edc.spi.result.Result;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a classifier (logistic regression, Tribuo's {@link LinearSGDTrainer}) on the asset: parameters
 * {@code features} (comma-separated numeric columns, in the model's input order), {@code label}, and optionally
 * {@code epochs} (default 10), {@code seed} (default 1) and {@code testFraction} (default 0.2). A held-out part of the
 * rows is used for the metrics (accuracy, AUC for two classes, confusion matrix). The model leaves as ONNX — with the
 * feature and label order in its metadata — only when the run says it may ({@code ai.modelExport} and the job asked
 * for it); otherwise only the metrics do. Under {@code ai.minAggregation = k} both the training and the test part must
 * have at least k rows — over personal data, at least k distinct data subjects each. Thread-safe.
 */
public final class TrainingJobRunner implements JobRunner {

    public static final String FEATURES = "features";
    public static final String LABEL = "label";
    /** ONNX metadata keys naming the input columns and the output classes, in order. */
    public static final String FEATURES_METADATA = "kakehashi.features";
    public static final String LABELS_METADATA = "kakehashi.labels";

    @Override
    public JobType type() {
        return JobType.TRAINING;
    }

    @Override
    public Result<Void> validate(JobDescription description) {
        var features = AssetColumns.names(FEATURES, description.parameter(FEATURES).orElse(null));
        if (features.failed()) {
            return Result.failure(features.getFailureDetail());
        }
        var label = AssetColumns.names(LABEL, description.parameter(LABEL).orElse(null));
        if (label.failed() || label.getContent().size() != 1) {
            return Result.failure("label: name one column");
        }
        var epochs = wholeNumber(description, "epochs", 10, 1, 1000);
        var fraction = description.parameter("testFraction").map(TrainingJobRunner::fraction).orElse(0.2);
        if (epochs.failed()) {
            return Result.failure(epochs.getFailureDetail());
        }
        if (fraction.isNaN()) {
            return Result.failure("testFraction: a number between 0.05 and 0.5");
        }
        return wholeNumber(description, "seed", 1, 0, Long.MAX_VALUE).mapEmpty();
    }

    @Override
    public Result<JobOutput> run(JobRun run) {
        var valid = validate(run.description());
        if (valid.failed()) {
            return Result.failure(valid.getFailureDetail());
        }
        var description = run.description();
        var features = AssetColumns.names(FEATURES, description.parameter(FEATURES).orElseThrow()).getContent();
        var label = description.parameter(LABEL).orElseThrow().strip();
        var data = AssetColumns.read(run.asset(), features, label, run.limits().memoryLimitBytes());
        if (data.failed()) {
            return Result.failure(data.getFailureDetail());
        }
        run.progress().accept(0.2);

        var seed = wholeNumber(description, "seed", 1, 0, Long.MAX_VALUE).getContent();
        var split = split(data.getContent(), description.parameter("testFraction").map(TrainingJobRunner::fraction).orElse(0.2), seed);
        if (run.minimumGroupSize().isPresent()) {
            var k = run.minimumGroupSize().getAsLong();
            var columns = data.getContent();
            var train = columns.coverage(split.train());
            var test = columns.coverage(split.test());
            if (train < k || test < k) {
                return Result.failure(columns.countsSubjects()
                        ? ("output guard (ai.minAggregation = %d): training covers %d and testing %d data subjects (%s); "
                        + "ai.minAggregation requires at least %d in each").formatted(k, train, test, columns.subjectField(), k)
                        : "output guard (ai.minAggregation = %d): training on %d rows and testing on %d reveals groups under k"
                        .formatted(k, train, test));
            }
        }
        if (split.train().isEmpty() || split.test().isEmpty()) {
            return Result.failure("the asset has too few complete rows to train and test on");
        }
        var featureNames = featureNames(features);
        var factory = new LabelFactory();
        var training = new MutableDataset<Label>(new SimpleDataSourceProvenance("asset " + run.job().assetId(), factory), factory);
        split.train().forEach(i -> training.add(example(data.getContent(), i, featureNames)));
        var trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1),
                wholeNumber(description, "epochs", 10, 1, 1000).getContent().intValue(), seed);
        if (run.cancellation().isCancelled()) {
            return Result.failure("the job was cancelled");
        }
        Model<Label> model = trainer.train(training);
        run.progress().accept(0.7);

        var metrics = evaluate(model, data.getContent(), split.test(), featureNames);
        if (!run.modelMayLeave()) {
            return Result.success(metrics);
        }
        var onnx = export(model, features);
        return onnx.succeeded() ? Result.success(new JobOutput.Model(onnx.getContent(), metrics)) : Result.failure(onnx.getFailureDetail());
    }

    private static JobOutput.Metrics evaluate(Model<Label> model, AssetColumns data, List<Integer> test, String[] featureNames) {
        var actual = new String[test.size()];
        var predicted = new String[test.size()];
        var domain = model.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted().toList();
        var binary = domain.size() == 2;
        var positive = binary ? domain.get(1) : null;
        var scores = binary ? new double[test.size()] : null;
        for (var i = 0; i < test.size(); i++) {
            var row = test.get(i);
            var prediction = model.predict(example(data, row, featureNames));
            actual[i] = data.labels()[row];
            predicted[i] = prediction.getOutput().getLabel();
            if (binary) {
                var score = prediction.getOutputScores().get(positive);
                scores[i] = score == null ? 0 : score.getScore();
            }
        }
        return ClassificationMetrics.of(actual, predicted, scores, positive);
    }

    private static Result<byte[]> export(Model<Label> model, List<String> features) {
        if (!(model instanceof ONNXExportable exportable)) {
            return Result.failure("this model cannot be exported as ONNX");
        }
        var labels = new String[model.getOutputIDInfo().size()];
        model.getOutputIDInfo().forEach(pair -> labels[pair.getA()] = pair.getB().getLabel());
        var proto = exportable.exportONNXModel("io.kakehashi", 1L).toBuilder()
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(FEATURES_METADATA).setValue(String.join(",", features)))
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(LABELS_METADATA).setValue(String.join(",", labels)))
                .build();
        return Result.success(proto.toByteArray());
    }

    /** Feature names that sort in the job's column order, so the ONNX input follows it (Tribuo orders by name). */
    private static String[] featureNames(List<String> features) {
        var names = new String[features.size()];
        for (var i = 0; i < names.length; i++) {
            names[i] = "%04d:%s".formatted(i, features.get(i));
        }
        return names;
    }

    private static Example<Label> example(AssetColumns data, int row, String[] featureNames) {
        return new ArrayExample<>(new Label(data.labels()[row]), featureNames, data.features()[row]);
    }

    private record Split(List<Integer> train, List<Integer> test) {
    }

    private static Split split(AssetColumns data, double testFraction, long seed) {
        var random = new Random(seed);
        var train = new ArrayList<Integer>();
        var test = new ArrayList<Integer>();
        for (var i = 0; i < data.rows(); i++) {
            (random.nextDouble() < testFraction ? test : train).add(i);
        }
        return new Split(train, test);
    }

    private static double fraction(String text) {
        try {
            var value = Double.parseDouble(text.strip());
            return value >= 0.05 && value <= 0.5 ? value : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static Result<Long> wholeNumber(JobDescription description, String name, long fallback, long min, long max) {
        var text = description.parameter(name);
        if (text.isEmpty()) {
            return Result.success(fallback);
        }
        try {
            var value = Long.parseLong(text.get().strip());
            if (value >= min && value <= max) {
                return Result.success(value);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        return Result.failure("%s: a whole number between %d and %d, not '%s'".formatted(name, min, max, text.get()));
    }
}
