package io.kakehashi.ai.ml;

import io.kakehashi.ai.core.federated.LogisticRegression;
import io.kakehashi.ai.core.federated.NoiseMechanism;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.ModelWeights;
import org.eclipse.edc.spi.result.Result;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A holder's step of a federated round: starting from the global weights (the job's model, {@link ModelWeights}),
 * trains binary logistic regression on its own rows and returns only the new weights and the number of rows — never
 * a row. Parameters: {@code features}, {@code label}, {@code positive} (the label value that counts as 1),
 * optionally {@code means} and {@code scales} (the standardisation every holder is given), {@code epochs} (default 1),
 * {@code learningRate} (default 0.05), and for a differentially private update {@code epsilon} with {@code clip}
 * (default 1.0), {@code delta} (default 1e-5) and {@code mechanism} ({@code gaussian} or {@code laplace}). The job's
 * ε is charged against the agreement's {@code ai.dpEpsilon} budget by the job service before the round runs. Under
 * {@code ai.minAggregation = k} the holder must train on at least k rows — over personal data, the rows of at least
 * k distinct data subjects. Thread-safe.
 */
public final class FederatedRoundRunner implements JobRunner {

    private final Supplier<Random> noise;

    /** @param noise the source of differential-privacy noise; a {@code SecureRandom} in production */
    public FederatedRoundRunner(Supplier<Random> noise) {
        this.noise = noise;
    }

    @Override
    public JobType type() {
        return JobType.FL_ROUND;
    }

    @Override
    public Result<Void> validate(JobDescription description) {
        var features = AssetColumns.names("features", description.parameter("features").orElse(null));
        if (features.failed()) {
            return Result.failure(features.getFailureDetail());
        }
        if (description.parameter("label").map(String::isBlank).orElse(true) || description.parameter("positive").isEmpty()) {
            return Result.failure("label, positive: name the label column and its positive value");
        }
        var weights = ModelWeights.decode(description.model().orElse(null));
        if (weights.failed()) {
            return Result.failure(weights.getFailureDetail());
        }
        var size = features.getContent().size();
        if (weights.getContent().length != size + 1) {
            return Result.failure("model: %d weights for %d features (a bias and one per feature are needed)".formatted(weights.getContent().length, size));
        }
        for (var name : List.of("means", "scales")) {
            var values = numbers(description, name, size, name.equals("scales") ? 1 : 0);
            if (values == null || (name.equals("scales") && Arrays.stream(values).anyMatch(v -> !(v > 0)))) {
                return Result.failure("%s: %d numbers%s".formatted(name, size, name.equals("scales") ? ", each positive" : ""));
            }
        }
        if (description.parameter("epsilon").isPresent() && NoiseMechanism.of(description.parameter("mechanism").orElse("gaussian")).isEmpty()) {
            return Result.failure("mechanism: 'gaussian' or 'laplace'");
        }
        var epochs = TrainingJobRunner.wholeNumber(description, "epochs", 1, 1, 100);
        if (epochs.failed()) {
            return Result.failure(epochs.getFailureDetail());
        }
        var round = TrainingJobRunner.wholeNumber(description, "round", 0, 0, Long.MAX_VALUE);
        if (round.failed()) {
            return Result.failure(round.getFailureDetail());
        }
        for (var name : List.of("learningRate", "clip", "delta")) {
            if (Double.isNaN(positive(description, name, 1))) {
                return Result.failure("%s: a positive number".formatted(name));
            }
        }
        return Result.success();
    }

    @Override
    public Result<JobOutput> run(JobRun run) {
        var valid = validate(run.description());
        if (valid.failed()) {
            return Result.failure(valid.getFailureDetail());
        }
        var description = run.description();
        var features = AssetColumns.names("features", description.parameter("features").orElseThrow()).getContent();
        var data = AssetColumns.read(run.asset(), features, description.parameter("label").orElseThrow().strip(), run.limits().memoryLimitBytes());
        if (data.failed()) {
            return Result.failure(data.getFailureDetail());
        }
        var rows = data.getContent();
        if (rows.rows() == 0) {
            return Result.failure("the asset has no complete rows for these columns");
        }
        var refused = Coverage.refusal(run.minimumGroupSize(), rows, "the update would come from");
        if (refused.isPresent()) {
            return Result.failure(refused.get());
        }
        var x = rows.features();
        LogisticRegression.standardise(x, numbers(description, "means", features.size(), 0), numbers(description, "scales", features.size(), 1));
        var positive = description.parameter("positive").orElseThrow().strip();
        var y = Arrays.stream(rows.labels()).mapToInt(label -> label.equals(positive) ? 1 : 0).toArray();
        var global = ModelWeights.decode(description.model().orElseThrow()).getContent();
        run.progress().accept(0.2);
        if (run.cancellation().isCancelled()) {
            return Result.failure("the job was cancelled");
        }
        // the shuffle follows the round number when the coordinator gives one, so a round can be repeated exactly
        var seed = TrainingJobRunner.wholeNumber(description, "round", run.job().id().hashCode(), 0, Long.MAX_VALUE).getContent();
        var local = LogisticRegression.train(x, y, global, (int) TrainingJobRunner.wholeNumber(description, "epochs", 1, 1, 100).getContent().longValue(),
                positive(description, "learningRate", 0.05), seed);
        run.progress().accept(0.8);
        var epsilon = description.parameter("epsilon");
        if (epsilon.isPresent()) {
            var mechanism = NoiseMechanism.of(description.parameter("mechanism").orElse("gaussian")).orElseThrow();
            local = mechanism.privatise(global, local, positive(description, "clip", 1.0), Double.parseDouble(epsilon.get().strip()),
                    positive(description, "delta", 1e-5), noise.get());
        }
        return Result.success(new JobOutput.ModelUpdate(local, rows.rows()));
    }

    private static double positive(JobDescription description, String name, double fallback) {
        var text = description.parameter(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            var value = Double.parseDouble(text.get().strip());
            return value > 0 && Double.isFinite(value) ? value : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double[] numbers(JobDescription description, String name, int size, double fallback) {
        var text = description.parameter(name);
        if (text.isEmpty()) {
            var values = new double[size];
            Arrays.fill(values, fallback);
            return values;
        }
        try {
            var values = Arrays.stream(text.get().split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
            return values.length == size && Arrays.stream(values).allMatch(Double::isFinite) ? values : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
