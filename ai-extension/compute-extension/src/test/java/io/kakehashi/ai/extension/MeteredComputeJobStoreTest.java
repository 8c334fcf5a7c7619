package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MeteredComputeJobStoreTest {

    private static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeteredComputeJobStore store = new MeteredComputeJobStore(new InMemoryComputeJobStore(), registry);

    @Test
    void update_whenAJobCompletes_shouldCountItOnceByTypeAndOutcome() {
        store.create(job("j-1", JobType.SQL));
        store.update("j-1", j -> j.withState(JobState.RUNNING, null, NOW));
        store.update("j-1", j -> j.withState(JobState.COMPLETED, null, NOW));
        store.update("j-1", j -> j);

        assertThat(registry.get(MeteredComputeJobStore.SUBMITTED).tag("type", "sql").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(MeteredComputeJobStore.FINISHED).tags("type", "sql", "outcome", "completed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void create_whenTheJobIsRefusedAtOnce_shouldCountItFailed() {
        store.create(job("j-2", JobType.TRAINING).withState(JobState.FAILED, "denied by policy", NOW));

        assertThat(registry.get(MeteredComputeJobStore.FINISHED).tags("type", "training", "outcome", "failed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void update_whenTheChangeIsRefused_shouldCountNothing() {
        store.create(job("j-3", JobType.SQL));
        store.update("j-3", j -> j.withState(JobState.CANCELLED, "cancelled", NOW));
        // a final job cannot move again: the store refuses, nothing more is counted
        store.update("j-3", j -> j.withState(JobState.COMPLETED, null, NOW));

        assertThat(registry.get(MeteredComputeJobStore.FINISHED).tags("type", "sql", "outcome", "cancelled").counter().count()).isEqualTo(1.0);
        assertThat(registry.find(MeteredComputeJobStore.FINISHED).tags("outcome", "completed").counter()).isNull();
    }

    @Test
    void meters_shouldTagNoJobAgreementOrAsset() {
        store.create(job("job-id-x", JobType.SQL).withState(JobState.FAILED, "denied", NOW));

        registry.getMeters().forEach(meter -> meter.getId().getTags().forEach(tag ->
                assertThat(tag.getValue()).doesNotContain("job-id-x", "agreement-1", "asset-1", "did:web:vendor")));
    }

    private static JobRecord job(String id, JobType type) {
        return JobRecord.queued(id, "agreement-1", "asset-1", "did:web:vendor", new JobDescription(type, Map.of("query", "select 1"), null), NOW);
    }
}
