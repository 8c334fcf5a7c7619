package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.Result;

/**
 * Where the provider records whether a job's result may leave: the {@code compute.result} decision, next to the
 * {@code compute} decision that admitted the job. In the connector this is the decision log (the same hash chain);
 * {@link #NONE} records nothing. Implementations are thread-safe.
 */
public interface ResultReleases {

    /** Records nothing; for a connector without a decision log. */
    ResultReleases NONE = new ResultReleases() {
        @Override
        public Result<Void> released(JobRecord job, String resultHash) {
            return Result.success();
        }

        @Override
        public Result<Void> refused(JobRecord job, String reason) {
            return Result.success();
        }
    };

    /**
     * Records that the result with this hash (SHA-256 of its canonical form) is released to the job's consumer. A
     * failure means the release may not be recorded: the caller then releases nothing.
     */
    Result<Void> released(JobRecord job, String resultHash);

    /** Records that no result leaves an admitted job, with the reason (the output guard's refusal, a failure). */
    Result<Void> refused(JobRecord job, String reason);
}
