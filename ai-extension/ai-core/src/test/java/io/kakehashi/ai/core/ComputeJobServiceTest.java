package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kakehashi.ai.core.ComputeTestFixtures.VENDOR;
import static io.kakehashi.ai.core.ComputeTestFixtures.agreement;
import static io.kakehashi.ai.core.ComputeTestFixtures.constraint;
import static io.kakehashi.ai.core.ComputeTestFixtures.useOnlyIf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ComputeJobServiceTest {

    private static final JobDescription SQL = JobDescription.of(JobType.SQL, Map.of("query", "SELECT count(*) FROM asset"));
    private static final JobDescription TRAINING = JobDescription.of(JobType.TRAINING, Map.of("label", "failure"));

    private final InMemoryComputeJobStore store = new InMemoryComputeJobStore();
    private final InMemoryEpsilonLedger ledger = new InMemoryEpsilonLedger();
    private final FakeRunner sqlRunner = new FakeRunner(JobType.SQL);
    private final FakeRunner trainingRunner = new FakeRunner(JobType.TRAINING);
    private final FakeRunner flRunner = new FakeRunner(JobType.FL_ROUND);
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(2);
    private final java.util.concurrent.ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private Duration timeLimit = Duration.ofSeconds(30);
    private ComputeJobService service = service();

    private ComputeJobService service() {
        return new ComputeJobService(store, ledger, ComputeTestFixtures.engine(store),
                assetId -> Result.success(new TabularAsset(Path.of("/data/" + assetId + ".csv"), TabularAsset.Format.CSV)),
                List.of(sqlRunner, trainingRunner, flRunner), executor, watchdog, new JobLimits(timeLimit, 64L << 20),
                Clock.systemUTC(), new ConsoleMonitor());
    }

    @AfterEach
    void stop() {
        sqlRunner.release.countDown();
        trainingRunner.release.countDown();
        executor.shutdownNow();
        watchdog.shutdownNow();
    }

    private JobRecord finalState(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(id).orElseThrow().state().isFinal());
        return store.findById(id).orElseThrow();
    }

    @Nested
    class Admitted {

        @Test
        void submit_whenThePolicyAdmits_shouldRunAndCompleteWithTheResultHash() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
            sqlRunner.release.countDown();

            var submitted = service.submit(VENDOR, agreement, SQL);

            var done = finalState(submitted.getContent().id());
            assertThat(done.state()).isEqualTo(JobState.COMPLETED);
            assertThat(done.admitted()).isTrue();
            assertThat(done.progress()).isEqualTo(1.0);
            assertThat(done.resultHash()).isEqualTo(FakeRunner.OUTPUT.hash());
            assertThat(done.descriptionHash()).isEqualTo(SQL.descriptionHash());
            assertThat(done.assetId()).isEqualTo(agreement.getAssetId());
            assertThat(service.result(done.id())).contains(FakeRunner.OUTPUT);
            assertThat(sqlRunner.runs).singleElement().satisfies(run -> assertThat(run.asset().file()).hasToString("/data/machine-operation-data.csv"));
        }

        @Test
        void submit_whenTheAgreementSetsMinAggregation_shouldRunWithThatGuard() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "10")));
            sqlRunner.release.countDown();

            var done = finalState(service.submit(VENDOR, agreement, SQL).getContent().id());

            assertThat(done.state()).isEqualTo(JobState.COMPLETED);
            assertThat(sqlRunner.runs.get(0).minimumGroupSize()).hasValue(10);
        }

        @Test
        void whenFinished_shouldCompleteWithTheFinalJobAndItsResult() throws Exception {
            var id = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id();
            var finished = service.whenFinished(id).orElseThrow();

            sqlRunner.release.countDown();

            var job = finished.get(10, TimeUnit.SECONDS);
            assertThat(job.state()).isEqualTo(JobState.COMPLETED);
            assertThat(service.result(id)).contains(FakeRunner.OUTPUT);
            assertThat(service.whenFinished(id).orElseThrow()).isCompletedWithValue(job);
            assertThat(service.whenFinished("no-such-job")).isEmpty();
        }

        @Test
        void takeResult_shouldHandTheResultOverOnce() {
            sqlRunner.release.countDown();
            var id = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id();
            finalState(id);

            assertThat(service.takeResult(id)).contains(FakeRunner.OUTPUT);
            assertThat(service.takeResult(id)).isEmpty();
            assertThat(service.find(id).orElseThrow().resultHash()).isEqualTo(FakeRunner.OUTPUT.hash());
        }

        @Test
        void results_beyondTheRetainedNumber_shouldDropTheOldest() {
            service = new ComputeJobService(store, ledger, ComputeTestFixtures.engine(store),
                    assetId -> Result.success(new TabularAsset(Path.of("/data/a.csv"), TabularAsset.Format.CSV)),
                    List.of(sqlRunner), executor, watchdog, new JobLimits(timeLimit, 64L << 20), Clock.systemUTC(), new ConsoleMonitor(), 2);
            sqlRunner.release.countDown();
            var ids = new java.util.ArrayList<String>();
            for (var i = 0; i < 3; i++) {
                var id = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id();
                finalState(id);
                ids.add(id);
            }

            assertThat(service.result(ids.get(0))).isEmpty();
            assertThat(service.result(ids.get(1))).isPresent();
            assertThat(service.result(ids.get(2))).isPresent();
        }

        @Test
        void submit_whileRunning_shouldShowProgress() {
            var agreement = agreement(Policy.Builder.newInstance().build());

            var id = service.submit(VENDOR, agreement, SQL).getContent().id();

            await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(id).orElseThrow().progress() == 0.5);
            assertThat(store.findById(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
            sqlRunner.release.countDown();
            assertThat(finalState(id).state()).isEqualTo(JobState.COMPLETED);
        }

        @Test
        void submit_trainingAskingForItsModel_whenModelsMayLeave_shouldLetTheRunnerReturnIt() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "true")));
            trainingRunner.release.countDown();

            var done = finalState(service.submit(VENDOR, agreement,
                    JobDescription.of(JobType.TRAINING, Map.of("label", "failure", "exportModel", "true"))).getContent().id());

            assertThat(done.state()).isEqualTo(JobState.COMPLETED);
            assertThat(trainingRunner.runs.get(0).modelMayLeave()).isTrue();
        }

        @Test
        void submit_trainingNotAskingForItsModel_shouldRunMetricsOnly() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "true")));
            trainingRunner.release.countDown();

            finalState(service.submit(VENDOR, agreement, TRAINING).getContent().id());

            assertThat(trainingRunner.runs.get(0).modelMayLeave()).isFalse();
        }
    }

    @Nested
    class Denied {

        @Test
        void submit_whenThePurposeIsNotAgreed_shouldFailWithTheReasonAndRunNothing() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));

            var job = service.submit(VENDOR, agreement, TRAINING).getContent();

            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.admitted()).isFalse();
            assertThat(job.reason()).startsWith("denied by policy:").contains("purpose");
            assertThat(trainingRunner.runs).isEmpty();
        }

        @Test
        void submit_whenTheJobAsksForAModelThatMayNotLeave_shouldFail() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "false")));

            var job = service.submit(VENDOR, agreement,
                    JobDescription.of(JobType.TRAINING, Map.of("label", "failure", "exportModel", "true"))).getContent();

            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.reason()).contains("ai.modelExport");
            assertThat(trainingRunner.runs).isEmpty();
        }

        @Test
        void submit_whenTheJobCountIsUsedUp_shouldFailTheNextJob() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.COMPUTE_JOB_COUNT, Operator.LEQ, "1")));
            sqlRunner.release.countDown();
            var first = service.submit(VENDOR, agreement, SQL).getContent();

            var second = service.submit(VENDOR, agreement, SQL).getContent();

            assertThat(finalState(first.id()).state()).isEqualTo(JobState.COMPLETED);
            assertThat(second.state()).isEqualTo(JobState.FAILED);
            assertThat(second.reason()).startsWith("denied by policy").contains("compute.jobCount");
            assertThat(store.countAdmitted(agreement.getId())).isEqualTo(1);
        }

        @Test
        void submit_whenTheEpsilonBudgetIsSpent_shouldFailAndChargeNothingMore() {
            var agreement = agreement(useOnlyIf(constraint(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, "1.0")));
            var round = JobDescription.of(JobType.FL_ROUND, Map.of("epsilon", "0.6"));
            flRunner.release.countDown();

            var first = service.submit(VENDOR, agreement, round).getContent();
            var second = service.submit(VENDOR, agreement, round).getContent();

            assertThat(finalState(first.id()).state()).isEqualTo(JobState.COMPLETED);
            assertThat(second.state()).isEqualTo(JobState.FAILED);
            assertThat(second.reason()).contains("ai.dpEpsilon");
            assertThat(ledger.spent(agreement.getId())).isEqualTo(0.6);
        }

        @Test
        void submit_whenTheAssetCannotBeResolved_shouldFailWithTheReason() {
            service = new ComputeJobService(store, ledger, ComputeTestFixtures.engine(store), assetId -> Result.failure("not a file asset"),
                    List.of(sqlRunner), executor, watchdog, new JobLimits(timeLimit, 64L << 20), Clock.systemUTC(), new ConsoleMonitor());

            var job = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent();

            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.reason()).contains("not a file asset");
            assertThat(sqlRunner.runs).isEmpty();
        }
    }

    @Nested
    class BadInput {

        @Test
        void submit_whenNoRunnerForTheType_shouldBeABadRequestStoringNothing() {
            var result = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), JobDescription.of(JobType.EVALUATION, Map.of()));

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.BAD_REQUEST);
        }

        @Test
        void submit_whenTheDescriptionIsInvalid_shouldBeABadRequest() {
            var result = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), JobDescription.of(JobType.SQL, Map.of()));

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.BAD_REQUEST);
            assertThat(result.getFailureDetail()).contains("query");
        }

        @Test
        void submit_whenEpsilonIsMalformed_shouldBeABadRequest() {
            var result = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()),
                    JobDescription.of(JobType.FL_ROUND, Map.of("epsilon", "-1")));

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.BAD_REQUEST);
            assertThat(result.getFailureDetail()).contains("epsilon");
        }

        @Test
        void submit_whenTheConsumerIsNotTheAgreements_shouldBeUnauthorized() {
            var stranger = new ParticipantAgent("someone-else", Map.of(), Map.of());

            var result = service.submit(stranger, agreement(Policy.Builder.newInstance().build()), SQL);

            assertThat(result.reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
        }
    }

    @Nested
    class Stopping {

        @Test
        void cancel_whileRunning_shouldCancelAndSignalTheRunner() {
            var id = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(id).orElseThrow().state() == JobState.RUNNING);

            var cancelled = service.cancel(id, "consumer");

            assertThat(cancelled.getContent().state()).isEqualTo(JobState.CANCELLED);
            assertThat(cancelled.getContent().reason()).isEqualTo("cancelled by consumer");
            await().atMost(Duration.ofSeconds(10)).until(() -> sqlRunner.cancelledRuns.get() == 1);
            assertThat(service.result(id)).isEmpty();
            assertThat(store.findById(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        }

        @Test
        void cancel_whenCompleted_shouldBeAConflict() {
            sqlRunner.release.countDown();
            var id = service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id();
            finalState(id);

            assertThat(service.cancel(id, "provider").reason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void cancel_whenUnknown_shouldBeNotFound() {
            assertThat(service.cancel("no-such-job", "provider").reason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
        }

        @Test
        void submit_whenTheJobRunsPastItsTimeLimit_shouldFailAndStopTheRunner() {
            timeLimit = Duration.ofMillis(200);
            service = service();

            var done = finalState(service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id());

            assertThat(done.state()).isEqualTo(JobState.FAILED);
            assertThat(done.reason()).contains("time limit");
            await().atMost(Duration.ofSeconds(10)).until(() -> sqlRunner.cancelledRuns.get() == 1);
        }

        @Test
        void submit_whenTheRunnerFails_shouldFailWithItsReason() {
            sqlRunner.failWith = "malformed SQL: syntax error at 'SELEC'";
            sqlRunner.release.countDown();

            var done = finalState(service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id());

            assertThat(done.state()).isEqualTo(JobState.FAILED);
            assertThat(done.reason()).isEqualTo("malformed SQL: syntax error at 'SELEC'");
        }
    }

    @Nested
    class Recorded {

        private final List<Map<String, String>> decided = new CopyOnWriteArrayList<>();
        private final List<String> releases = new CopyOnWriteArrayList<>();
        private volatile boolean logBroken;

        private ComputeJobService recordingService() {
            var engine = ComputeTestFixtures.engine(store);
            engine.registerPostValidator(io.kakehashi.policy.spi.ComputePolicyContext.class, (policy, context) -> {
                decided.add(context.decisionDigests());
                return true;
            });
            var log = new io.kakehashi.ai.spi.ResultReleases() {
                @Override
                public Result<Void> released(JobRecord job, String resultHash) {
                    if (logBroken) {
                        return Result.failure("the decision could not be recorded in the decision log");
                    }
                    releases.add("released " + job.id() + " " + resultHash + " " + service.result(job.id()).isPresent());
                    return Result.success();
                }

                @Override
                public Result<Void> refused(JobRecord job, String reason) {
                    releases.add("refused " + job.id() + " " + reason);
                    return Result.success();
                }
            };
            return new ComputeJobService(store, ledger, engine,
                    assetId -> Result.success(new TabularAsset(Path.of("/data/" + assetId + ".csv"), TabularAsset.Format.CSV)),
                    List.of(sqlRunner, trainingRunner, flRunner), executor, watchdog, new JobLimits(timeLimit, 64L << 20),
                    Clock.systemUTC(), new ConsoleMonitor(), 10, log);
        }

        @Test
        void submit_shouldBeDecidedWithTheDigestsOfTheJobAndItsModel() {
            service = recordingService();
            var withModel = new JobDescription(JobType.FL_ROUND, Map.of("label", "failure"), new byte[]{1, 2, 3});

            service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL);
            service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), withModel);

            assertThat(decided).containsExactly(Map.of("job", SQL.descriptionHash()),
                    Map.of("job", withModel.descriptionHash(), "model", withModel.modelHash().orElseThrow()));
        }

        @Test
        void aCompletedJob_shouldRecordTheReleaseOfItsResultHashBeforeTheResultIsThere() {
            service = recordingService();
            sqlRunner.release.countDown();

            var done = finalState(service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id());

            assertThat(done.state()).isEqualTo(JobState.COMPLETED);
            assertThat(releases).containsExactly("released " + done.id() + " " + FakeRunner.OUTPUT.hash() + " false");
        }

        @Test
        void aJobWhoseResultIsRefused_shouldRecordTheRefusalWithItsReason() {
            service = recordingService();
            sqlRunner.failWith = "output guard (ai.minAggregation = 5): the result has no aggregate";
            sqlRunner.release.countDown();

            var done = finalState(service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id());

            assertThat(done.state()).isEqualTo(JobState.FAILED);
            assertThat(releases).containsExactly("refused " + done.id() + " output guard (ai.minAggregation = 5): the result has no aggregate");
        }

        @Test
        void aResultWhoseReleaseCannotBeRecorded_shouldNotLeave() {
            service = recordingService();
            logBroken = true;
            sqlRunner.release.countDown();

            var done = finalState(service.submit(VENDOR, agreement(Policy.Builder.newInstance().build()), SQL).getContent().id());

            assertThat(done.state()).isEqualTo(JobState.FAILED);
            assertThat(done.reason()).contains("could not be recorded");
            assertThat(done.resultHash()).isNull();
            assertThat(service.result(done.id())).isEmpty();
        }
    }

    /** Reports half its progress, then waits to be released or cancelled. */
    static final class FakeRunner implements JobRunner {

        static final JobOutput OUTPUT = new JobOutput.Table(List.of("n"), List.of(List.of(42L)));

        final JobType type;
        final CountDownLatch release = new CountDownLatch(1);
        final List<JobRun> runs = new CopyOnWriteArrayList<>();
        final AtomicInteger cancelledRuns = new AtomicInteger();
        volatile String failWith;

        FakeRunner(JobType type) {
            this.type = type;
        }

        @Override
        public JobType type() {
            return type;
        }

        @Override
        public Result<Void> validate(JobDescription description) {
            return type == JobType.SQL && description.parameter("query").isEmpty() ? Result.failure("query: missing") : Result.success();
        }

        @Override
        public Result<JobOutput> run(JobRun run) {
            runs.add(run);
            var stopped = new CountDownLatch(1);
            run.cancellation().onCancel(stopped::countDown);
            run.progress().accept(0.5);
            try {
                while (!release.await(10, TimeUnit.MILLISECONDS)) {
                    if (stopped.getCount() == 0) {
                        cancelledRuns.incrementAndGet();
                        return Result.failure("cancelled");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.failure("interrupted");
            }
            return failWith == null ? Result.success(OUTPUT) : Result.failure(failWith);
        }
    }
}
