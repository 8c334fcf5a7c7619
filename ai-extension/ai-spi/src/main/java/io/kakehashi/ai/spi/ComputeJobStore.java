package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where compute jobs live, on both sides of a job. Every implementation passes {@code ComputeJobStoreTestBase}
 * (in this module's test jar). Implementations are thread-safe; {@link #update} is atomic per job.
 */
public interface ComputeJobStore {

    /** Stores a new job; {@code alreadyExists} if its id is taken. */
    StoreResult<Void> create(JobRecord job);

    Optional<JobRecord> findById(String id);

    /** The jobs under an agreement, oldest first. */
    List<JobRecord> findByAgreement(String agreementId);

    /**
     * The jobs not yet in a final state (QUEUED or RUNNING), oldest first: after a restart of the provider no runner
     * owns any of them, and the restart recovery looks at these only.
     */
    List<JobRecord> findUnfinished();

    /**
     * Applies a change to a job atomically (no other update of the same job in between). {@code notFound} for an
     * unknown id; {@code generalError} when the change would move the job along a
     * transition that {@link JobState#TRANSITIONS} does not have (e.g. out of a final state), or change its identity
     * (id, agreement, asset, consumer, type, hashes of description and model), leaving the job as it was.
     */
    StoreResult<JobRecord> update(String id, UnaryOperator<JobRecord> change);

    /** How many jobs the policy admitted under an agreement: what {@code compute.jobCount} counts. */
    long countAdmitted(String agreementId);

    /** Checks a change against the state table and the job's identity; shared by the implementations. */
    static StoreResult<JobRecord> checkChange(JobRecord before, JobRecord after) {
        if (after == null) {
            return StoreResult.generalError("job %s: a change must produce a job".formatted(before.id()));
        }
        if (!before.id().equals(after.id()) || !before.agreementId().equals(after.agreementId())
                || !before.assetId().equals(after.assetId()) || !before.consumerId().equals(after.consumerId())
                || before.type() != after.type() || !before.descriptionHash().equals(after.descriptionHash())
                || !Objects.equals(before.modelHash(), after.modelHash())
                || !before.createdAt().equals(after.createdAt())) {
            return StoreResult.generalError("job %s: its identity cannot change".formatted(before.id()));
        }
        if (before.state() != after.state() && !before.state().canTransitionTo(after.state())) {
            return StoreResult.generalError("job %s: cannot move from %s to %s".formatted(before.id(), before.state(), after.state()));
        }
        if (before.state().isFinal() && !before.equals(after)) {
            return StoreResult.generalError("job %s: is %s and cannot change".formatted(before.id(), before.state()));
        }
        return StoreResult.success(after);
    }
}
