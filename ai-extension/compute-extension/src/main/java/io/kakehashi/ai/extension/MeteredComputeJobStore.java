package io.kakehashi.ai.extension;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.JobRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The job store, counting the jobs this connector runs as a provider: {@value #SUBMITTED} when a job is stored
 * (tag {@code type}: sql, training, evaluation, fl-round) and {@value #FINISHED} when it reaches its end (tags
 * {@code type} and {@code outcome}: completed, failed, cancelled), whether it was refused at once (stored FAILED) or
 * ran. Counted only after the store took the change. No job, agreement or asset id becomes a tag. Thread-safe as
 * the wrapped store is.
 */
final class MeteredComputeJobStore implements ComputeJobStore {

    static final String SUBMITTED = "kakehashi.compute.jobs.submitted";
    static final String FINISHED = "kakehashi.compute.jobs.finished";

    private final ComputeJobStore store;
    private final MeterRegistry registry;

    MeteredComputeJobStore(ComputeJobStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public StoreResult<Void> create(JobRecord job) {
        var created = store.create(job);
        if (created.succeeded()) {
            Counter.builder(SUBMITTED).description("Compute jobs stored at this provider, by type")
                    .tag("type", job.type().policyName()).register(registry).increment();
            if (job.state().isFinal()) {
                finished(job);
            }
        }
        return created;
    }

    @Override
    public StoreResult<JobRecord> update(String id, UnaryOperator<JobRecord> change) {
        var before = new AtomicReference<JobRecord>();
        var updated = store.update(id, job -> {
            before.set(job);
            return change.apply(job);
        });
        if (updated.succeeded() && before.get() != null && !before.get().state().isFinal() && updated.getContent().state().isFinal()) {
            finished(updated.getContent());
        }
        return updated;
    }

    private void finished(JobRecord job) {
        Counter.builder(FINISHED).description("Compute jobs that ended at this provider, by type and outcome")
                .tag("type", job.type().policyName())
                .tag("outcome", job.state().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    @Override
    public Optional<JobRecord> findById(String id) {
        return store.findById(id);
    }

    @Override
    public List<JobRecord> findByAgreement(String agreementId) {
        return store.findByAgreement(agreementId);
    }

    @Override
    public List<JobRecord> findUnfinished() {
        return store.findUnfinished();
    }

    @Override
    public long countAdmitted(String agreementId) {
        return store.countAdmitted(agreementId);
    }
}
