package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.Result;

/**
 * Runs one type of compute job at the provider, on the job's asset only. Returns what may leave, or a failure with a
 * reason the consumer may read (never a row of the data). Implementations are thread-safe: one runner runs many jobs.
 */
public interface JobRunner {

    JobType type();

    /**
     * Checks a description before the job is queued (parameters present and well-formed), so a bad job is refused
     * before it is decided or counted.
     */
    Result<Void> validate(JobDescription description);

    Result<JobOutput> run(JobRun run);
}
