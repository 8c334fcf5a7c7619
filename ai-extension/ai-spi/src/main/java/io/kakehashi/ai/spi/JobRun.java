package io.kakehashi.ai.spi;

import java.util.OptionalLong;
import java.util.function.DoubleConsumer;

/**
 * Everything a {@link JobRunner} gets for one admitted job: the job, its description, its asset (and nothing else),
 * its limits, what the agreement allows it to return, a way to report progress and a cancellation signal. Built by
 * the job service after the policy admitted the job. Immutable; the progress consumer and the signal are
 * thread-safe.
 *
 * @param job              the stored job
 * @param description      the job's description, with its model if any
 * @param asset            the agreement's asset
 * @param limits           time and memory limits
 * @param minimumGroupSize the output guard's k (from {@code ai.minAggregation}), empty when the agreement sets none;
 *                         counted in distinct data subjects when the asset names its subject field
 *                         ({@link TabularAsset#subjectField()}), in rows otherwise
 * @param modelMayLeave    whether a trained model may be returned ({@code ai.modelExport} and the job asked for it)
 * @param progress         takes the fraction done, within [0, 1]
 * @param cancellation     set when either side cancels the job
 */
public record JobRun(JobRecord job, JobDescription description, TabularAsset asset, JobLimits limits,
                     OptionalLong minimumGroupSize, boolean modelMayLeave, DoubleConsumer progress,
                     CancellationSignal cancellation) {
}
