package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the vendor's connector keeps the federated trainings it coordinates. Every implementation passes
 * {@code RemoteTrainingStoreTestBase} (in this module's test jar). Implementations are thread-safe; {@link #update} is
 * atomic per training.
 */
public interface RemoteTrainingStore {

    /** Stores a new training; {@code alreadyExists} if its id is taken. */
    StoreResult<Void> create(RemoteTraining training);

    Optional<RemoteTraining> findById(String id);

    /** Every training, oldest first. */
    List<RemoteTraining> findAll();

    /** The trainings still RUNNING, oldest first. */
    List<RemoteTraining> findRunning();

    /**
     * Applies a change atomically. {@code notFound} for an unknown id; {@code generalError} when the training has
     * ended (a final state never changes), the change would drop round reports, or change what was asked (id, rounds,
     * participants, quorum, deadline, creation time), leaving the training as it was.
     */
    StoreResult<RemoteTraining> update(String id, UnaryOperator<RemoteTraining> change);

    /** Checks a change; shared by the implementations. */
    static StoreResult<RemoteTraining> checkChange(RemoteTraining before, RemoteTraining after) {
        if (after == null) {
            return StoreResult.generalError("training %s: a change must produce a training".formatted(before.id()));
        }
        if (!before.id().equals(after.id()) || before.rounds() != after.rounds() || !before.participants().equals(after.participants())
                || before.quorum() != after.quorum() || !before.roundDeadline().equals(after.roundDeadline())
                || !before.createdAt().equals(after.createdAt())) {
            return StoreResult.generalError("training %s: what was asked cannot change".formatted(before.id()));
        }
        if (before.state().isFinal() && !before.equals(after)) {
            return StoreResult.generalError("training %s: is %s and cannot change".formatted(before.id(), before.state()));
        }
        if (after.reports().size() < before.reports().size() || !after.reports().subList(0, before.reports().size()).equals(before.reports())) {
            return StoreResult.generalError("training %s: round reports are only ever added".formatted(before.id()));
        }
        return StoreResult.success(after);
    }
}
