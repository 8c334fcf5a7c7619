package io.kakehashi.ai.spi;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a job returns to the consumer: only these shapes can leave the provider. Each has a canonical text form whose
 * SHA-256 is the job's result hash. Immutable and thread-safe.
 */
public sealed interface JobOutput permits JobOutput.Table, JobOutput.Metrics, JobOutput.Model, JobOutput.ModelUpdate {

    /** A canonical text form, hashed into the job's result hash. */
    String canonicalForm();

    default String hash() {
        return Sha256.hex(canonicalForm());
    }

    /** The rows of an SQL job's result (aggregates only when an output guard applies). */
    record Table(List<String> columns, List<List<Object>> rows) implements JobOutput {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(row -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(row))).toList();
        }

        @Override
        public String canonicalForm() {
            return "table\n" + columns + "\n" + rows;
        }
    }

    /**
     * Metrics of a trained or evaluated model (accuracy, AUC, RMSE, …) and, for a classifier, its confusion matrix
     * ({@code confusion.get(actual).get(predicted)} = count).
     */
    record Metrics(Map<String, Double> values, Map<String, Map<String, Long>> confusion) implements JobOutput {
        public Metrics {
            values = Map.copyOf(values);
            confusion = Map.copyOf(confusion);
        }

        @Override
        public String canonicalForm() {
            return "metrics\n" + new TreeMap<>(values) + "\n" + new TreeMap<>(confusion);
        }
    }

    /** A trained model in ONNX, returned only when the agreement lets models leave, with its metrics. */
    record Model(byte[] onnx, Metrics metrics) implements JobOutput {
        public Model {
            onnx = onnx.clone();
        }

        @Override
        public byte[] onnx() {
            return onnx.clone();
        }

        @Override
        public String canonicalForm() {
            return "model\n" + Sha256.hex(onnx) + "\n" + metrics.canonicalForm();
        }
    }

    /**
     * One provider's contribution to a federated round: the locally trained weights (clipped and noised when the
     * round is differentially private) and the number of rows they were trained on.
     */
    record ModelUpdate(double[] weights, long sampleCount) implements JobOutput {
        public ModelUpdate {
            weights = weights.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        @Override
        public String canonicalForm() {
            return "update\n" + sampleCount + "\n" + java.util.Arrays.toString(weights);
        }
    }
}
