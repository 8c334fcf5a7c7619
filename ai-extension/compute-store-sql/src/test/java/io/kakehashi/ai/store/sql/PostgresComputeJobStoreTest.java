package io.kakehashi.ai.store.sql;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.ComputeJobStoreTestBase;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresComputeJobStoreTest extends ComputeJobStoreTestBase {

    private DataSource dataSource;
    private PostgresComputeJobStore store;

    @BeforeEach
    void database() throws Exception {
        dataSource = ComputeTestDatabase.freshSchema("ai_compute_job_store_test");
        store = new PostgresComputeJobStore(dataSource);
    }

    @Override
    protected ComputeJobStore store() {
        return store;
    }

    @Test
    void aJob_shouldReadBackExactlyFromANewStoreOnTheSameDatabase() {
        var now = Instant.parse("2026-11-23T04:10:00.123456789Z");
        var job = JobRecord.queued("job-exact", "agreement-1", "asset-1", "ai-vendor",
                new JobDescription(JobType.EVALUATION, Map.of("task", "classification", "labels", "no,yes"), new byte[]{1, 2}), now);
        store.create(job);
        store.update(job.id(), j -> j.asAdmitted(now.plusNanos(1)));

        var again = new PostgresComputeJobStore(dataSource).findById(job.id()).orElseThrow();

        assertThat(again).isEqualTo(job.asAdmitted(now.plusNanos(1)));
        ComputeSchema.create(dataSource);
        assertThat(new PostgresComputeJobStore(dataSource).countAdmitted("agreement-1")).isEqualTo(1);
    }
}
