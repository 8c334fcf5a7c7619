package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.StoreFailure;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link ComputeJobStore} keeps. A store implementation subclasses it and provides the store.
 */
public abstract class ComputeJobStoreTestBase {

    protected static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    protected abstract ComputeJobStore store();

    protected static JobRecord job(String agreementId) {
        var description = JobDescription.of(JobType.SQL, Map.of("query", "SELECT count(*) FROM asset"));
        return JobRecord.queued(UUID.randomUUID().toString(), agreementId, "asset-1", "ai-vendor", description, T0);
    }

    @Nested
    class Create {

        @Test
        void create_whenNew_shouldBeFoundById() {
            var job = job("agreement-1");

            assertThat(store().create(job).succeeded()).isTrue();

            assertThat(store().findById(job.id())).contains(job);
        }

        @Test
        void create_whenIdTaken_shouldFailWithAlreadyExists() {
            var job = job("agreement-1");
            store().create(job);

            var again = store().create(job.withProgress(0.5, T0));

            assertThat(again.failed()).isTrue();
            assertThat(again.reason()).isEqualTo(StoreFailure.Reason.ALREADY_EXISTS);
            assertThat(store().findById(job.id())).contains(job);
        }

        @Test
        void findById_whenUnknown_shouldBeEmpty() {
            assertThat(store().findById("no-such-job")).isEmpty();
        }

        @Test
        void findUnfinished_shouldListOnlyQueuedAndRunningJobsOldestFirst() {
            var queued = job("agreement-" + UUID.randomUUID());
            var running = JobRecord.queued(UUID.randomUUID().toString(), "agreement-2", "asset-1", "ai-vendor",
                    JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1")), T0.plusSeconds(1));
            var completed = job("agreement-3");
            var failed = job("agreement-3");
            for (var created : new JobRecord[]{running, queued, completed, failed}) {
                store().create(created);
            }
            store().update(running.id(), j -> j.withState(JobState.RUNNING, null, T0.plusSeconds(2)));
            store().update(completed.id(), j -> j.withState(JobState.RUNNING, null, T0.plusSeconds(2)));
            store().update(completed.id(), j -> j.completed("hash", T0.plusSeconds(3)));
            store().update(failed.id(), j -> j.withState(JobState.FAILED, "denied by policy", T0.plusSeconds(2)));

            var unfinished = store().findUnfinished();

            assertThat(unfinished).extracting(JobRecord::id).doesNotContain(completed.id(), failed.id()).containsSubsequence(queued.id(), running.id());
            assertThat(unfinished).allSatisfy(job -> assertThat(job.state().isFinal()).isFalse());
        }

        @Test
        void findByAgreement_shouldReturnOnlyThatAgreementsJobsOldestFirst() {
            var first = job("agreement-A");
            var other = job("agreement-B");
            var second = new JobRecord(UUID.randomUUID().toString(), "agreement-A", "asset-1", "ai-vendor", JobType.SQL, Map.of(),
                    first.descriptionHash(), null, JobState.QUEUED, 0, null, null, false, T0.plusSeconds(1), T0.plusSeconds(1));
            store().create(second);
            store().create(first);
            store().create(other);

            assertThat(store().findByAgreement("agreement-A")).extracting(JobRecord::id).containsExactly(first.id(), second.id());
        }
    }

    @Nested
    class Update {

        @Test
        void update_alongTheStateTable_shouldStoreTheChange() {
            var job = job("agreement-1");
            store().create(job);

            var running = store().update(job.id(), j -> j.withState(JobState.RUNNING, null, T0.plusSeconds(1)));
            var progressed = store().update(job.id(), j -> j.withProgress(0.5, T0.plusSeconds(2)));
            var done = store().update(job.id(), j -> j.completed("abc", T0.plusSeconds(3)));

            assertThat(running.succeeded()).isTrue();
            assertThat(progressed.getContent().progress()).isEqualTo(0.5);
            assertThat(done.succeeded()).isTrue();
            assertThat(store().findById(job.id())).hasValueSatisfying(stored -> {
                assertThat(stored.state()).isEqualTo(JobState.COMPLETED);
                assertThat(stored.resultHash()).isEqualTo("abc");
                assertThat(stored.progress()).isEqualTo(1.0);
            });
        }

        @Test
        void update_whenUnknown_shouldFailWithNotFound() {
            assertThat(store().update("no-such-job", j -> j).reason()).isEqualTo(StoreFailure.Reason.NOT_FOUND);
        }

        @Test
        void update_whenTransitionNotInTable_shouldFailAndKeepTheJob() {
            var job = job("agreement-1");
            store().create(job);

            var result = store().update(job.id(), j -> j.completed("abc", T0));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("cannot move from QUEUED to COMPLETED");
            assertThat(store().findById(job.id())).contains(job);
        }

        @Test
        void update_whenFinal_shouldRefuseAnyChange() {
            var job = job("agreement-1");
            store().create(job);
            store().update(job.id(), j -> j.withState(JobState.CANCELLED, "cancelled by consumer", T0));

            assertThat(store().update(job.id(), j -> j.withState(JobState.RUNNING, null, T0)).failed()).isTrue();
            assertThat(store().update(job.id(), j -> j.withProgress(0.9, T0)).failed()).isTrue();
            assertThat(store().findById(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        }

        @Test
        void update_whenChangingIdentity_shouldFail() {
            var job = job("agreement-1");
            store().create(job);

            var result = store().update(job.id(), j -> new JobRecord(j.id(), "agreement-2", j.assetId(), j.consumerId(), j.type(),
                    j.parameters(), j.descriptionHash(), j.modelHash(), j.state(), j.progress(), j.reason(), j.resultHash(), j.admitted(),
                    j.createdAt(), j.updatedAt()));

            assertThat(result.failed()).isTrue();
            assertThat(store().findById(job.id())).contains(job);
        }

        @Test
        void update_whenRacingFromOneState_shouldLetExactlyOneWin() throws Exception {
            var job = job("agreement-1");
            store().create(job);
            store().update(job.id(), j -> j.withState(JobState.RUNNING, null, T0));
            var executor = Executors.newFixedThreadPool(4);
            try {
                var results = IntStream.range(0, 8)
                        .mapToObj(i -> executor.submit(() -> store().update(job.id(),
                                j -> j.withState(i % 2 == 0 ? JobState.COMPLETED : JobState.CANCELLED, "r" + i, T0))))
                        .toList();
                var wins = 0;
                for (var result : results) {
                    wins += result.get(10, TimeUnit.SECONDS).succeeded() ? 1 : 0;
                }
                assertThat(wins).isEqualTo(1);
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Nested
    class Count {

        @Test
        void countAdmitted_shouldCountOnlyAdmittedJobsOfTheAgreement() {
            var admitted = job("agreement-1");
            var refused = job("agreement-1");
            var elsewhere = job("agreement-2");
            store().create(admitted);
            store().create(refused);
            store().create(elsewhere);
            store().update(admitted.id(), j -> j.asAdmitted(T0));
            store().update(refused.id(), j -> j.withState(JobState.FAILED, "denied by policy", T0));
            store().update(elsewhere.id(), j -> j.asAdmitted(T0));

            assertThat(store().countAdmitted("agreement-1")).isEqualTo(1);
            assertThat(store().countAdmitted("agreement-3")).isZero();
        }
    }
}
