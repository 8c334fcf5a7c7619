package io.kakehashi.ai.core.federated;

/**
 * Binary logistic regression trained by plain stochastic gradient descent, the local step of federated averaging.
 * The weight vector is {@code [bias, w1, …, wn]}. Features are standardised with the means and scales every
 * participant is given, so all of them train the same model. Stateless and thread-safe.
 */
public final class LogisticRegression {

    private LogisticRegression() {
    }

    /**
     * Trains from {@code initial} for {@code epochs} passes over the rows in a fixed order shuffled by {@code seed}.
     *
     * @param rows   feature rows (already standardised)
     * @param labels 1 for the positive class, 0 otherwise
     */
    public static double[] train(double[][] rows, int[] labels, double[] initial, int epochs, double learningRate, long seed) {
        var weights = initial.clone();
        var order = new int[rows.length];
        for (var i = 0; i < order.length; i++) {
            order[i] = i;
        }
        var random = new java.util.Random(seed);
        for (var epoch = 0; epoch < epochs; epoch++) {
            for (var i = order.length - 1; i > 0; i--) {
                var j = random.nextInt(i + 1);
                var swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            for (var index : order) {
                var error = probability(weights, rows[index]) - labels[index];
                weights[0] -= learningRate * error;
                for (var f = 0; f < rows[index].length; f++) {
                    weights[f + 1] -= learningRate * error * rows[index][f];
                }
            }
        }
        return weights;
    }

    public static double probability(double[] weights, double[] row) {
        var z = weights[0];
        for (var f = 0; f < row.length; f++) {
            z += weights[f + 1] * row[f];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** The share of rows whose predicted class (probability ≥ 0.5) is their label. */
    public static double accuracy(double[] weights, double[][] rows, int[] labels) {
        var correct = 0;
        for (var i = 0; i < rows.length; i++) {
            correct += (probability(weights, rows[i]) >= 0.5 ? 1 : 0) == labels[i] ? 1 : 0;
        }
        return rows.length == 0 ? Double.NaN : (double) correct / rows.length;
    }

    /** Standardises rows in place: (x − mean) / scale per feature. */
    public static void standardise(double[][] rows, double[] means, double[] scales) {
        for (var row : rows) {
            for (var f = 0; f < row.length; f++) {
                row[f] = (row[f] - means[f]) / scales[f];
            }
        }
    }
}
