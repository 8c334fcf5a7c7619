package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.RemoteJob;
import io.kakehashi.ai.spi.RemoteJobStore;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * The embedded default {@link RemoteJobStore}: the consumer's jobs in memory, lost on restart (their result
 * documents stay on disk). Thread-safe; an update is atomic per job.
 */
public final class InMemoryRemoteJobStore implements RemoteJobStore {

    private final ConcurrentMap<String, RemoteJob> jobs = new ConcurrentHashMap<>();

    @Override
    public StoreResult<Void> create(RemoteJob job) {
        return jobs.putIfAbsent(job.id(), job) == null
                ? StoreResult.success()
                : StoreResult.alreadyExists("job %s already exists".formatted(job.id()));
    }

    @Override
    public Optional<RemoteJob> findById(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public List<RemoteJob> findByAgreement(String agreementId) {
        return jobs.values().stream()
                .filter(job -> agreementId == null || job.agreementId().equals(agreementId))
                .sorted(Comparator.comparing(RemoteJob::createdAt).thenComparing(RemoteJob::id))
                .toList();
    }

    @Override
    public List<RemoteJob> findUnfinished() {
        return jobs.values().stream()
                .filter(job -> !job.state().isFinal())
                .sorted(Comparator.comparing(RemoteJob::createdAt).thenComparing(RemoteJob::id))
                .toList();
    }

    @Override
    public StoreResult<RemoteJob> update(String id, UnaryOperator<RemoteJob> change) {
        var outcome = new StoreResult<?>[1];
        jobs.computeIfPresent(id, (key, before) -> {
            var checked = RemoteJobStore.checkChange(before, change.apply(before));
            outcome[0] = checked;
            return checked.succeeded() ? checked.getContent() : before;
        });
        if (outcome[0] == null) {
            return StoreResult.notFound("job %s not found".formatted(id));
        }
        @SuppressWarnings("unchecked")
        var result = (StoreResult<RemoteJob>) outcome[0];
        return result;
    }
}
