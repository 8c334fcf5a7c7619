package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.RemoteTraining;
import io.kakehashi.ai.spi.RemoteTrainingStore;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/** The embedded default {@link RemoteTrainingStore}: trainings in memory, forgotten at a restart. Thread-safe. */
public final class InMemoryRemoteTrainingStore implements RemoteTrainingStore {

    private final ConcurrentMap<String, RemoteTraining> trainings = new ConcurrentHashMap<>();

    @Override
    public StoreResult<Void> create(RemoteTraining training) {
        return trainings.putIfAbsent(training.id(), training) == null ? StoreResult.success()
                : StoreResult.alreadyExists("training %s already exists".formatted(training.id()));
    }

    @Override
    public Optional<RemoteTraining> findById(String id) {
        return Optional.ofNullable(trainings.get(id));
    }

    @Override
    public List<RemoteTraining> findAll() {
        return trainings.values().stream().sorted(Comparator.comparing(RemoteTraining::createdAt).thenComparing(RemoteTraining::id)).toList();
    }

    @Override
    public List<RemoteTraining> findRunning() {
        return findAll().stream().filter(training -> !training.state().isFinal()).toList();
    }

    @Override
    public StoreResult<RemoteTraining> update(String id, UnaryOperator<RemoteTraining> change) {
        var outcome = new StoreResult<?>[1];
        trainings.computeIfPresent(id, (key, before) -> {
            var checked = RemoteTrainingStore.checkChange(before, change.apply(before));
            outcome[0] = checked;
            return checked.succeeded() ? checked.getContent() : before;
        });
        if (outcome[0] == null) {
            return StoreResult.notFound("training %s not found".formatted(id));
        }
        @SuppressWarnings("unchecked")
        var result = (StoreResult<RemoteTraining>) outcome[0];
        return result;
    }
}
