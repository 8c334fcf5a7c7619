package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.kakehashi.ai.core.ComputeTestFixtures.VENDOR;
import static io.kakehashi.ai.core.ComputeTestFixtures.agreement;
import static io.kakehashi.ai.core.ComputeTestFixtures.constraint;
import static io.kakehashi.ai.core.ComputeTestFixtures.useOnlyIf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a provider's {@link ComputeJobService} does with the jobs its store holds unfinished after the process was
 * killed: the store is left as a kill -9 leaves it (a job RUNNING, admitted, its ε charged), and a service built
 * fresh over it stands for the restarted connector.
 */
class ComputeJobServiceRestartTest {

    private static final Instant BEFORE = Instant.parse("2026-12-06T20:00:00Z");
    private static final JobDescription SQL = JobDescription.of(JobType.SQL, Map.of("query", "SELECT count(*) FROM asset", "epsilon", "0.5"));

    private final InMemoryComputeJobStore store = new InMemoryComputeJobStore();
    private final InMemoryEpsilonLedger ledger = new InMemoryEpsilonLedger();
    private final ComputeJobServiceTest.FakeRunner sqlRunner = new ComputeJobServiceTest.FakeRunner(JobType.SQL);
    private final ComputeJobServiceTest.FakeRunner evaluationRunner = new ComputeJobServiceTest.FakeRunner(JobType.EVALUATION);
    private final ComputeJobServiceTest.FakeRunner flRunner = new ComputeJobServiceTest.FakeRunner(JobType.FL_ROUND);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private final ContractAgreement agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, "1.0")));

    /** The connector as it starts again: nothing in memory, the store and the ledger as they were. */
    private final ComputeJobService restarted = new ComputeJobService(store, ledger, ComputeTestFixtures.engine(store),
            assetId -> Result.success(new TabularAsset(Path.of("/data/" + assetId + ".csv"), TabularAsset.Format.CSV)),
            List.of(sqlRunner, evaluationRunner, flRunner), executor, watchdog, new JobLimits(Duration.ofSeconds(30), 64L << 20),
            Clock.systemUTC(), new ConsoleMonitor());

    @AfterEach
    void stop() {
        sqlRunner.release.countDown();
        evaluationRunner.release.countDown();
        flRunner.release.countDown();
        executor.shutdownNow();
        watchdog.shutdownNow();
    }

    /** A job as the store holds it when the provider was killed while it ran: admitted, ε charged, RUNNING. */
    private JobRecord leftRunning(JobDescription description) {
        var job = JobRecord.queued(UUID.randomUUID().toString(), agreement.getId(), agreement.getAssetId(), VENDOR.getIdentity(), description, BEFORE);
        store.create(job);
        description.parameter("epsilon").ifPresent(epsilon -> ledger.charge(agreement.getId(), job.id(), Double.parseDouble(epsilon), 1.0));
        store.update(job.id(), j -> j.asAdmitted(BEFORE));
        store.update(job.id(), j -> j.withState(JobState.RUNNING, null, BEFORE).withProgress(0.3, BEFORE));
        return store.findById(job.id()).orElseThrow();
    }

    private JobRecord finalState(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(id).orElseThrow().state().isFinal());
        return store.findById(id).orElseThrow();
    }

    @Test
    void resumeUnfinished_whenAnSqlJobWasRunning_shouldRunItAgainToCompletion() {
        var job = leftRunning(SQL);
        sqlRunner.release.countDown();

        var taken = restarted.resumeUnfinished(id -> id.equals(agreement.getId()) ? agreement : null, id -> null);

        assertThat(taken).isEqualTo(1);
        var done = finalState(job.id());
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.resultHash()).isEqualTo(ComputeJobServiceTest.FakeRunner.OUTPUT.hash());
        assertThat(restarted.result(job.id())).contains(ComputeJobServiceTest.FakeRunner.OUTPUT);
        assertThat(sqlRunner.runs).singleElement().satisfies(run -> {
            assertThat(run.job().id()).isEqualTo(job.id());
            assertThat(run.description().descriptionHash()).isEqualTo(job.descriptionHash());
        });
    }

    @Test
    void resumeUnfinished_shouldCountTheJobOnceAndNotChargeItsEpsilonAgain() {
        var job = leftRunning(SQL);
        sqlRunner.release.countDown();

        restarted.resumeUnfinished(id -> agreement, id -> null);

        finalState(job.id());
        assertThat(store.countAdmitted(agreement.getId())).isEqualTo(1);
        assertThat(ledger.spent(agreement.getId())).isEqualTo(0.5);
    }

    @Test
    void resumeUnfinished_whenNothingWasLeft_shouldLeaveFinishedJobsAlone() {
        var job = leftRunning(SQL);
        store.update(job.id(), j -> j.completed("hash", BEFORE));

        assertThat(restarted.resumeUnfinished(id -> agreement, id -> null)).isZero();

        assertThat(sqlRunner.runs).isEmpty();
        assertThat(store.findById(job.id()).orElseThrow().resultHash()).isEqualTo("hash");
    }

    @Test
    void resume_whenARunnerOwnsTheJob_shouldNotRunItTwice() {
        var id = restarted.submit(VENDOR, agreement, SQL).getContent().id();
        await().atMost(Duration.ofSeconds(10)).until(() -> sqlRunner.runs.size() == 1);

        assertThat(restarted.resumeUnfinished(a -> agreement, j -> null)).isZero();
        assertThat(restarted.resume(agreement, id, SQL).getContent().state()).isEqualTo(JobState.RUNNING);

        sqlRunner.release.countDown();
        assertThat(finalState(id).state()).isEqualTo(JobState.COMPLETED);
        assertThat(sqlRunner.runs).hasSize(1);
    }

    @Test
    void resume_whenAFederatedRoundWasRunning_shouldFailItWithTheRestartReason() {
        var job = leftRunning(JobDescription.of(JobType.FL_ROUND, Map.of("epsilon", "0.5")));

        var resumed = restarted.resume(agreement, job.id(), null).getContent();

        assertThat(resumed.state()).isEqualTo(JobState.FAILED);
        assertThat(resumed.reason()).startsWith(ComputeJobService.RESTARTED + "; a federated round is not run again");
        assertThat(flRunner.runs).isEmpty();
        assertThat(ledger.spent(agreement.getId())).isEqualTo(0.5);
    }

    @Test
    void resume_whenTheJobWasNotYetDecided_shouldFailItAskingForItAgain() {
        var job = JobRecord.queued(UUID.randomUUID().toString(), agreement.getId(), agreement.getAssetId(), VENDOR.getIdentity(), SQL, BEFORE);
        store.create(job);

        var resumed = restarted.resumeUnfinished(id -> agreement, id -> null);

        assertThat(resumed).isEqualTo(1);
        var failed = store.findById(job.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.reason()).isEqualTo(ComputeJobService.RESTARTED + "; it had not been decided yet and nothing ran; request it again");
        assertThat(failed.admitted()).isFalse();
        assertThat(sqlRunner.runs).isEmpty();
    }

    @Test
    void resume_whenAnEvaluationsModelIsNotAtHand_shouldFailIt() {
        var evaluation = new JobDescription(JobType.EVALUATION, Map.of("label", "failed"), new byte[]{1, 2, 3});
        var job = leftRunning(evaluation);

        var resumed = restarted.resume(agreement, job.id(), null).getContent();

        assertThat(resumed.state()).isEqualTo(JobState.FAILED);
        assertThat(resumed.reason()).isEqualTo(ComputeJobService.RESTARTED + "; its model is no longer at hand to run it again; request it again");
    }

    @Test
    void resume_whenTheFlowBringsTheEvaluationsModel_shouldRunItAgain() {
        var evaluation = new JobDescription(JobType.EVALUATION, Map.of("label", "failed"), new byte[]{1, 2, 3});
        var job = leftRunning(evaluation);
        evaluationRunner.release.countDown();

        restarted.resume(agreement, job.id(), evaluation);

        assertThat(finalState(job.id()).state()).isEqualTo(JobState.COMPLETED);
        assertThat(evaluationRunner.runs).singleElement().satisfies(run -> assertThat(run.description().model()).hasValue(new byte[]{1, 2, 3}));
    }

    @Test
    void resume_whenTheDescriptionIsNotTheJobs_shouldFailIt() {
        var job = leftRunning(SQL);

        var resumed = restarted.resume(agreement, job.id(), JobDescription.of(JobType.SQL, Map.of("query", "SELECT * FROM asset"))).getContent();

        assertThat(resumed.state()).isEqualTo(JobState.FAILED);
        assertThat(resumed.reason()).endsWith("the description at hand is not the job's");
        assertThat(sqlRunner.runs).isEmpty();
    }
}
