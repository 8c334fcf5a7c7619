package io.kakehashi.ai.ml;

import io.kakehashi.ai.spi.JobOutput;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accuracy, the confusion matrix and, for two classes, the area under the ROC curve (from the positive class's
 * score, ties counted half), computed from predictions. Stateless and thread-safe.
 */
public final class ClassificationMetrics {

    private ClassificationMetrics() {
    }

    /**
     * @param actual         the true class of each example
     * @param predicted      the predicted class of each example
     * @param positiveScores the score of the positive class per example, or null when there is no such score
     * @param positive       the positive class (for AUC), or null
     */
    public static JobOutput.Metrics of(String[] actual, String[] predicted, double[] positiveScores, String positive) {
        var correct = 0;
        var confusion = new TreeMap<String, Map<String, Long>>();
        for (var i = 0; i < actual.length; i++) {
            correct += actual[i].equals(predicted[i]) ? 1 : 0;
            confusion.computeIfAbsent(actual[i], a -> new TreeMap<>()).merge(predicted[i], 1L, Long::sum);
        }
        var values = new LinkedHashMap<String, Double>();
        values.put("examples", (double) actual.length);
        values.put("accuracy", actual.length == 0 ? Double.NaN : (double) correct / actual.length);
        if (positiveScores != null && positive != null) {
            values.put("auc", auc(actual, positiveScores, positive));
        }
        return new JobOutput.Metrics(values, confusion);
    }

    static double auc(String[] actual, double[] scores, String positive) {
        var order = new Integer[actual.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        // rank-sum (Mann–Whitney U) with average ranks for ties
        var ranks = new double[actual.length];
        for (var i = 0; i < order.length; ) {
            var j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            var rank = (i + j) / 2.0 + 1;
            for (var t = i; t <= j; t++) {
                ranks[order[t]] = rank;
            }
            i = j + 1;
        }
        long positives = 0;
        double rankSum = 0;
        for (var i = 0; i < actual.length; i++) {
            if (actual[i].equals(positive)) {
                positives++;
                rankSum += ranks[i];
            }
        }
        var negatives = actual.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }

    /** The label list of a job parameter, in the model's output order. */
    static List<String> labels(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
