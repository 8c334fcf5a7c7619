package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.StoreFailure;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link RemoteJobStore} keeps. A store implementation subclasses it and provides the store.
 */
public abstract class RemoteJobStoreTestBase {

    protected static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    protected abstract RemoteJobStore store();

    protected static RemoteJob job(String agreementId) {
        var description = new JobDescription(JobType.FL_ROUND, Map.of("label", "failed"), new byte[]{1, 2, 3});
        return RemoteJob.queued(UUID.randomUUID().toString(), agreementId, "asset-1", "jp-maker", "http://maker/protocol/2025-1",
                description, T0);
    }

    @Test
    void create_whenNew_shouldBeFoundWithEverythingItCarries() {
        var job = job("agreement-1");

        assertThat(store().create(job).succeeded()).isTrue();

        assertThat(store().findById(job.id())).contains(job);
        assertThat(store().findById(job.id()).orElseThrow().modelHash()).isNotNull();
    }

    @Test
    void create_whenIdTaken_shouldFailWithAlreadyExistsAndKeepTheFirst() {
        var job = job("agreement-1");
        store().create(job);

        var again = store().create(job.withState(JobState.RUNNING, null, T0.plusSeconds(1)));

        assertThat(again.reason()).isEqualTo(StoreFailure.Reason.ALREADY_EXISTS);
        assertThat(store().findById(job.id())).contains(job);
    }

    @Test
    void findByAgreement_shouldListThatAgreementsJobsOldestFirst_andEveryJobWithoutAgreement() {
        var agreement = "agreement-" + UUID.randomUUID();
        var first = job(agreement);
        var second = RemoteJob.queued(UUID.randomUUID().toString(), agreement, "asset-1", "jp-maker", "http://maker/protocol/2025-1",
                JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1")), T0.plusSeconds(5));
        var other = job("agreement-" + UUID.randomUUID());
        store().create(second);
        store().create(first);
        store().create(other);

        assertThat(store().findByAgreement(agreement)).containsExactly(first, second);
        assertThat(store().findByAgreement(null)).contains(first, second, other);
    }

    @Test
    void findUnfinished_shouldListOnlyQueuedAndRunningJobsOldestFirst() {
        var queued = job("agreement-" + UUID.randomUUID());
        var running = RemoteJob.queued(UUID.randomUUID().toString(), "agreement-2", "asset-1", "jp-maker", "http://maker/protocol/2025-1",
                JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1")), T0.plusSeconds(1));
        var completed = job("agreement-3");
        var failed = job("agreement-3");
        var cancelled = job("agreement-3");
        for (var job : new RemoteJob[]{running, queued, completed, failed, cancelled}) {
            store().create(job);
        }
        store().update(running.id(), j -> j.withState(JobState.RUNNING, null, T0.plusSeconds(2)));
        store().update(completed.id(), j -> j.withState(JobState.RUNNING, null, T0.plusSeconds(2)));
        store().update(completed.id(), j -> j.ended(JobState.COMPLETED, null, "p", "h", "s", T0.plusSeconds(3)));
        store().update(failed.id(), j -> j.withState(JobState.FAILED, "refused by the provider", T0.plusSeconds(2)));
        store().update(cancelled.id(), j -> j.withState(JobState.CANCELLED, "cancelled by consumer", T0.plusSeconds(2)));

        var unfinished = store().findUnfinished().stream().map(RemoteJob::id).toList();

        assertThat(unfinished).doesNotContain(completed.id(), failed.id(), cancelled.id());
        assertThat(unfinished).containsSubsequence(queued.id(), running.id());
        assertThat(store().findUnfinished()).allSatisfy(job -> assertThat(job.state().isFinal()).isFalse());
        assertThat(store().findUnfinished().stream().filter(j -> j.id().equals(running.id())).findFirst().orElseThrow().state())
                .isEqualTo(JobState.RUNNING);
    }

    @Test
    void update_alongTheStateTable_shouldStoreTheEnd() {
        var job = job("agreement-1");
        store().create(job);
        store().update(job.id(), j -> j.withState(JobState.RUNNING, null, T0.plusSeconds(1)));

        var ended = store().update(job.id(), j -> j.ended(JobState.COMPLETED, null, "provider-job", "hash", "sha", T0.plusSeconds(2)));

        assertThat(ended.succeeded()).isTrue();
        var stored = store().findById(job.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.COMPLETED);
        assertThat(stored.progress()).isEqualTo(1.0);
        assertThat(stored.providerJobId()).isEqualTo("provider-job");
        assertThat(stored.resultHash()).isEqualTo("hash");
        assertThat(stored.resultSha256()).isEqualTo("sha");
    }

    @Test
    void update_withTheProvidersProgress_shouldStoreItAndNeverGoBack() {
        var job = job("agreement-1");
        store().create(job);
        store().update(job.id(), j -> j.withState(JobState.RUNNING, null, T0.plusSeconds(1)));
        store().update(job.id(), j -> j.progressed(0.3, "provider-job", T0.plusSeconds(2)));

        var back = store().update(job.id(), j -> j.progressed(0.1, null, T0.plusSeconds(3)));

        assertThat(back.succeeded()).isTrue();
        var stored = store().findById(job.id()).orElseThrow();
        assertThat(stored.progress()).isEqualTo(0.3);
        assertThat(stored.providerJobId()).isEqualTo("provider-job");
        assertThat(stored.state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void update_outOfAFinalState_shouldFailAndLeaveTheJob() {
        var job = job("agreement-1");
        store().create(job);
        store().update(job.id(), j -> j.withState(JobState.CANCELLED, "cancelled by consumer", T0.plusSeconds(1)));
        var cancelled = store().findById(job.id()).orElseThrow();

        var moved = store().update(job.id(), j -> j.withState(JobState.FAILED, "late", T0.plusSeconds(2)));

        assertThat(moved.failed()).isTrue();
        assertThat(store().findById(job.id())).contains(cancelled);
    }

    @Test
    void update_whenItChangesWhatWasAsked_shouldFail() {
        var job = job("agreement-1");
        store().create(job);

        var changed = store().update(job.id(), j -> new RemoteJob(j.id(), "another-agreement", j.assetId(), j.providerId(),
                j.counterPartyAddress(), j.type(), j.parameters(), j.descriptionHash(), j.modelHash(), j.state(), j.progress(),
                j.reason(), j.providerJobId(), j.resultHash(), j.resultSha256(), j.createdAt(), j.updatedAt()));

        assertThat(changed.failed()).isTrue();
        assertThat(store().findById(job.id())).contains(job);
    }

    @Test
    void update_whenUnknown_shouldBeNotFound() {
        assertThat(store().update("no-such-job", j -> j).reason()).isEqualTo(StoreFailure.Reason.NOT_FOUND);
    }
}
