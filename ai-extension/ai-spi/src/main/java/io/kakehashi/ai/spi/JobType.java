package io.kakehashi.ai.spi;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of compute job. {@link #policyName()} is the type the {@code compute} policy scope sees
 * ({@code ComputeJob.type()}), from which the purpose constraint derives the job's purpose.
 */
public enum JobType {
    /** A read-only SQL query over the asset; purpose {@code analytics}. */
    SQL("sql"),
    /** Training a model on the asset; purpose {@code ai.training}. */
    TRAINING("training"),
    /** Evaluating the vendor's ONNX model on the asset; purpose {@code ai.evaluation}. */
    EVALUATION("evaluation"),
    /** One provider's local step of a federated-learning round; purpose {@code ai.training}. */
    FL_ROUND("fl-round"),
    /**
     * Running the vendor's ONNX model on the asset and returning only counts of its predictions per class (and per
     * group), never a row's prediction; purpose {@code ai.inference}.
     */
    PREDICT("predict");

    private final String policyName;

    JobType(String policyName) {
        this.policyName = policyName;
    }

    public String policyName() {
        return policyName;
    }

    /** The type with this policy name ({@code sql}, {@code training}, …), if there is one. */
    public static Optional<JobType> fromPolicyName(String name) {
        return Arrays.stream(values()).filter(type -> type.policyName.equals(name)).findFirst();
    }
}
