package io.kakehashi.policy.spi;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a compute job asks to do with the data, as far as a usage policy cares: whether it would take a trained model
 * out, the smallest group its results may report (the output guard it runs with), and the differential-privacy ε it
 * would spend, together with what the agreement has spent already. Immutable and thread-safe.
 *
 * @param type                 the kind of job, e.g. {@code sql}, {@code training}, {@code evaluation}, {@code fl-round}
 * @param exportsModel         whether the job's result includes a trained model
 * @param minimumGroupSize     the output guard's minimum group size, if the job reports aggregates
 * @param epsilonRequested     the ε of the job's differential-privacy noise, if it adds any
 * @param epsilonSpent         the ε spent by earlier jobs under the same agreement
 */
public record ComputeJob(String type, boolean exportsModel, OptionalLong minimumGroupSize, OptionalDouble epsilonRequested,
                         double epsilonSpent) {

    public ComputeJob {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(minimumGroupSize, "minimumGroupSize");
        Objects.requireNonNull(epsilonRequested, "epsilonRequested");
        if (epsilonSpent < 0) {
            throw new IllegalArgumentException("epsilonSpent must not be negative");
        }
    }
}
