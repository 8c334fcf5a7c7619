package io.kakehashi.ai.ml;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobType;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Runs the vendor's ONNX classifier (the job's model) on the asset and returns only how many rows it puts in each
 * class — per class, or per class and value of a grouping column — never a row's prediction. Parameters:
 * {@code features} (the model's inputs, in order), {@code labels} (the classes in the model's output order), optional
 * {@code groupBy} (one column of the asset; rows where it is empty are left out). The result is a table
 * {@code prediction[, <groupBy>], rows}.
 *
 * <p>Under {@code ai.minAggregation = k} the output guard's rule applies to every released row: a row counts at least
 * k source rows — over personal data (an asset that names its data-subject column), the rows of at least k distinct
 * data subjects; the count it reports stays a count of rows. Rows under k are suppressed — left out of the table; no
 * total is released, so a suppressed count cannot be read off as a difference within one result (across results it
 * can: {@code compute.jobCount} limits that, as for SQL jobs). The whole job needs at least k rows (k subjects over
 * personal data). Thread-safe.
 */
public final class PredictionJobRunner implements JobRunner {

    public static final String FEATURES = "features";
    public static final String LABELS = "labels";
    public static final String GROUP_BY = "groupBy";

    private final int maxModelBytes;

    public PredictionJobRunner(int maxModelBytes) {
        this.maxModelBytes = maxModelBytes;
    }

    @Override
    public JobType type() {
        return JobType.PREDICT;
    }

    @Override
    public Result<Void> validate(JobDescription description) {
        var model = OnnxModelCheck.given(description.model(), maxModelBytes, "a predict job");
        if (model.failed()) {
            return model.mapFailure();
        }
        var features = AssetColumns.names(FEATURES, description.parameter(FEATURES).orElse(null));
        if (features.failed()) {
            return Result.failure(features.getFailureDetail());
        }
        var groupBy = description.parameter(GROUP_BY);
        if (groupBy.isPresent()) {
            var group = AssetColumns.names(GROUP_BY, groupBy.get());
            if (group.failed() || group.getContent().size() != 1) {
                return Result.failure("groupBy: name one column");
            }
        }
        return ClassificationMetrics.labels(description.parameter(LABELS).orElse("")).size() >= 2 ? Result.success()
                : Result.failure("labels: name the model's classes in its output order");
    }

    @Override
    public Result<JobOutput> run(JobRun run) {
        var valid = validate(run.description());
        if (valid.failed()) {
            return Result.failure(valid.getFailureDetail());
        }
        var description = run.description();
        var features = AssetColumns.names(FEATURES, description.parameter(FEATURES).orElseThrow()).getContent();
        var groupBy = description.parameter(GROUP_BY).map(String::strip).orElse(null);
        var labels = ClassificationMetrics.labels(description.parameter(LABELS).orElseThrow());
        var data = AssetColumns.read(run.asset(), features, groupBy, run.limits().memoryLimitBytes());
        if (data.failed()) {
            return Result.failure(data.getFailureDetail());
        }
        var k = run.minimumGroupSize();
        var refused = Coverage.refusal(k, data.getContent(), "the predictions would cover");
        if (refused.isPresent()) {
            return Result.failure(refused.get());
        }
        run.progress().accept(0.1);
        var scores = OnnxScoring.score(description.model().orElseThrow(), features.size(), data.getContent().features(),
                run.cancellation()::isCancelled, done -> run.progress().accept(0.1 + 0.8 * done));
        if (scores.failed()) {
            return Result.failure(scores.getFailureDetail());
        }
        // counted here, inside the connector; only the counts are ever put into the result
        var counts = new TreeMap<List<String>, Long>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        // over personal data, the distinct subjects of each cell too: the guard counts them, the table the rows
        var subjects = data.getContent().subjects();
        var cellSubjects = subjects == null ? null : new HashMap<List<String>, Set<String>>();
        for (var i = 0; i < scores.getContent().length; i++) {
            var label = OnnxScoring.argmax(scores.getContent()[i], labels);
            if (label.failed()) {
                return Result.failure(label.getFailureDetail());
            }
            var key = groupBy == null ? List.of(label.getContent()) : List.of(label.getContent(), data.getContent().labels()[i]);
            counts.merge(key, 1L, Long::sum);
            if (cellSubjects != null && subjects[i] != null) {
                cellSubjects.computeIfAbsent(key, cell -> new HashSet<>()).add(subjects[i]);
            }
        }
        ToLongFunction<List<String>> coverage = cellSubjects == null ? counts::get : cell -> cellSubjects.getOrDefault(cell, Set.of()).size();
        return Result.success(table(counts, coverage, groupBy, k.isPresent() ? k.getAsLong() : 1));
    }

    /** One row per cell that covers at least k (rows, or distinct data subjects over personal data); the rest left out. */
    private static JobOutput.Table table(Map<List<String>, Long> counts, ToLongFunction<List<String>> coverage, String groupBy, long k) {
        var columns = groupBy == null ? List.of("prediction", "rows") : List.of("prediction", groupBy, "rows");
        var rows = new ArrayList<List<Object>>();
        for (var entry : counts.entrySet()) {
            if (coverage.applyAsLong(entry.getKey()) < k) {
                continue;
            }
            var row = new ArrayList<Object>(entry.getKey());
            row.add(entry.getValue());
            rows.add(row);
        }
        return new JobOutput.Table(columns, rows);
    }
}
