package io.kakehashi.ai.store.sql;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.RemoteJob;
import io.kakehashi.ai.spi.RemoteJobStore;
import io.kakehashi.ai.spi.RemoteJobStoreTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("PostgresqlIntegrationTest")
class PostgresRemoteJobStoreTest extends RemoteJobStoreTestBase {

    private static final String SCHEMA = "ai_remote_job_store_test";

    private PostgresRemoteJobStore store;

    @BeforeEach
    void database() throws Exception {
        store = new PostgresRemoteJobStore(ComputeTestDatabase.freshSchema(SCHEMA).database, ComputeTestDatabase.MAPPER);
    }

    @Override
    protected RemoteJobStore store() {
        return store;
    }

    @Test
    void anEndedJob_shouldReadBackExactlyAfterARestart() {
        var now = Instant.parse("2026-11-23T04:10:00.123456789Z");
        var job = RemoteJob.queued("remote-exact", "agreement-1", "asset-1", "jp-machine-tool-maker", "http://127.0.0.1:8282/protocol/2025-1",
                new JobDescription(JobType.EVALUATION, Map.of("task", "classification", "labels", "no,yes"), new byte[]{1, 2}), now);
        store.create(job);
        store.update(job.id(), j -> j.withState(JobState.RUNNING, null, now.plusNanos(1)));
        store.update(job.id(), j -> j.ended(JobState.COMPLETED, null, "provider-job-7", "ab".repeat(32), "cd".repeat(32), now.plusNanos(2)));

        var restarted = ComputeTestDatabase.reopen(SCHEMA);
        ComputeSchema.create(restarted.database);
        var again = new PostgresRemoteJobStore(restarted.database, ComputeTestDatabase.MAPPER).findById(job.id()).orElseThrow();

        assertThat(again).isEqualTo(job.withState(JobState.RUNNING, null, now.plusNanos(1))
                .ended(JobState.COMPLETED, null, "provider-job-7", "ab".repeat(32), "cd".repeat(32), now.plusNanos(2)));
        assertThat(again.progress()).isEqualTo(1.0);
    }
}
