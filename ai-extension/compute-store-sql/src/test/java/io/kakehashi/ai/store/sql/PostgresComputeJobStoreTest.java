package io.kakehashi.ai.store.sql;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.ComputeJobStoreTestBase;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("PostgresqlIntegrationTest")
class PostgresComputeJobStoreTest extends ComputeJobStoreTestBase {

    private static final String SCHEMA = "ai_compute_job_store_test";
    private static final Instant NOW = Instant.parse("2026-11-23T04:10:00.123456789Z");

    private ComputeTestDatabase test;
    private PostgresComputeJobStore store;

    @BeforeEach
    void database() throws Exception {
        test = ComputeTestDatabase.freshSchema(SCHEMA);
        store = new PostgresComputeJobStore(test.database, ComputeTestDatabase.MAPPER);
    }

    @Override
    protected ComputeJobStore store() {
        return store;
    }

    private static JobRecord evaluationJob(String id) {
        return JobRecord.queued(id, "agreement-1", "asset-1", "ai-vendor",
                new JobDescription(JobType.EVALUATION, Map.of("task", "classification", "labels", "no,yes"), new byte[]{1, 2}), NOW);
    }

    @Test
    void aJob_shouldReadBackExactlyFromANewStoreOnTheSameDatabase() {
        var job = evaluationJob("job-exact");
        store.create(job);
        store.update(job.id(), j -> j.asAdmitted(NOW.plusNanos(1)));

        var restarted = ComputeTestDatabase.reopen(SCHEMA);
        ComputeSchema.create(restarted.database);
        var again = new PostgresComputeJobStore(restarted.database, ComputeTestDatabase.MAPPER);

        assertThat(again.findById(job.id())).contains(job.asAdmitted(NOW.plusNanos(1)));
        assertThat(again.countAdmitted("agreement-1")).isEqualTo(1);
    }

    @Nested
    class InsideEdcTransactions {

        @Test
        void create_whenTheCallersTransactionRollsBack_shouldLeaveNoJob() {
            assertThatThrownBy(() -> test.database.inTransaction("store the job", connection -> {
                store.create(evaluationJob("job-rolled-back"));
                throw new IllegalStateException("the caller fails after storing");
            })).isInstanceOf(EdcException.class);

            assertThat(store.findById("job-rolled-back")).isEmpty();
        }

        @Test
        void update_whenTheChangeThrows_shouldLeaveTheJobAsItWas() {
            var job = evaluationJob("job-unchanged");
            store.create(job);

            assertThatThrownBy(() -> store.update(job.id(), j -> {
                throw new IllegalStateException("the change fails");
            })).hasMessageContaining("the change fails");

            assertThat(store.findById(job.id())).contains(job);
            assertThat(store.update(job.id(), j -> j.withState(JobState.RUNNING, null, NOW.plusSeconds(1))).succeeded()).isTrue();
        }

        @Test
        void aCall_whenTheDataSourceIsNotRegistered_shouldSaySo() {
            var context = new LocalTransactionContext(new org.eclipse.edc.spi.monitor.Monitor() { });
            var unregistered = new PostgresComputeJobStore(new TransactionalDatabase(new org.eclipse.edc.transaction.local.LocalDataSourceRegistry(context),
                    DataSourceRegistry.DEFAULT_DATASOURCE, context), ComputeTestDatabase.MAPPER);

            assertThatThrownBy(() -> unregistered.findById("job")).isInstanceOf(EdcPersistenceException.class)
                    .hasMessageContaining("no data source named 'default'");
        }
    }
}
