package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.JobRecord;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * The embedded default {@link ComputeJobStore}: jobs in memory, lost on restart. Thread-safe; an update is atomic
 * per job (it runs inside the map's per-key compute).
 */
public final class InMemoryComputeJobStore implements ComputeJobStore {

    private final ConcurrentMap<String, JobRecord> jobs = new ConcurrentHashMap<>();

    @Override
    public StoreResult<Void> create(JobRecord job) {
        return jobs.putIfAbsent(job.id(), job) == null
                ? StoreResult.success()
                : StoreResult.alreadyExists("job %s already exists".formatted(job.id()));
    }

    @Override
    public Optional<JobRecord> findById(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public List<JobRecord> findByAgreement(String agreementId) {
        return jobs.values().stream()
                .filter(job -> job.agreementId().equals(agreementId))
                .sorted(Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::id))
                .toList();
    }

    @Override
    public List<JobRecord> findUnfinished() {
        return jobs.values().stream()
                .filter(job -> !job.state().isFinal())
                .sorted(Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::id))
                .toList();
    }

    @Override
    public StoreResult<JobRecord> update(String id, UnaryOperator<JobRecord> change) {
        var outcome = new StoreResult<?>[1];
        jobs.computeIfPresent(id, (key, before) -> {
            var checked = ComputeJobStore.checkChange(before, change.apply(before));
            outcome[0] = checked;
            return checked.succeeded() ? checked.getContent() : before;
        });
        if (outcome[0] == null) {
            return StoreResult.notFound("job %s not found".formatted(id));
        }
        @SuppressWarnings("unchecked")
        var result = (StoreResult<JobRecord>) outcome[0];
        return result;
    }

    @Override
    public long countAdmitted(String agreementId) {
        return jobs.values().stream().filter(job -> job.agreementId().equals(agreementId) && job.admitted()).count();
    }
}
