package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the consumer's connector keeps the jobs it asked providers to run. Every implementation passes
 * {@code RemoteJobStoreTestBase} (in this module's test jar). Implementations are thread-safe; {@link #update} is
 * atomic per job.
 */
public interface RemoteJobStore {

    /** Stores a new job; {@code alreadyExists} if its id is taken. */
    StoreResult<Void> create(RemoteJob job);

    Optional<RemoteJob> findById(String id);

    /** The jobs under an agreement, oldest first; every job when {@code agreementId} is null. */
    List<RemoteJob> findByAgreement(String agreementId);

    /** The jobs not yet in a final state (QUEUED or RUNNING), oldest first: what the stall check looks at. */
    List<RemoteJob> findUnfinished();

    /**
     * Applies a change atomically. {@code notFound} for an unknown id; {@code generalError} when the change would
     * move the job along a transition {@link JobState#TRANSITIONS} does not have, or change what was asked (id,
     * agreement, asset, provider, address, type, hashes, creation time), leaving the job as it was.
     */
    StoreResult<RemoteJob> update(String id, UnaryOperator<RemoteJob> change);

    /** Checks a change against the state table and the job's identity; shared by the implementations. */
    static StoreResult<RemoteJob> checkChange(RemoteJob before, RemoteJob after) {
        if (after == null) {
            return StoreResult.generalError("job %s: a change must produce a job".formatted(before.id()));
        }
        if (!before.id().equals(after.id()) || !before.agreementId().equals(after.agreementId())
                || !before.assetId().equals(after.assetId()) || !before.providerId().equals(after.providerId())
                || !before.counterPartyAddress().equals(after.counterPartyAddress())
                || before.type() != after.type() || !before.descriptionHash().equals(after.descriptionHash())
                || !Objects.equals(before.modelHash(), after.modelHash()) || !before.createdAt().equals(after.createdAt())) {
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
