package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.core.ComputeTestFixtures;
import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.core.InMemoryEpsilonLedger;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectConflictException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;
import org.eclipse.edc.web.spi.exception.ValidationFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.kakehashi.ai.core.ComputeTestFixtures.constraint;
import static io.kakehashi.ai.core.ComputeTestFixtures.useOnlyIf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ComputeJobsApiControllerTest {

    private final InMemoryComputeJobStore store = new InMemoryComputeJobStore();
    private final CountDownLatch release = new CountDownLatch(1);
    private final java.util.concurrent.ExecutorService executor = Executors.newSingleThreadExecutor();
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ComputeJobService service = new ComputeJobService(store, new InMemoryEpsilonLedger(), ComputeTestFixtures.engine(store),
            assetId -> Result.success(new TabularAsset(Path.of("/data/a.csv"), TabularAsset.Format.CSV)), List.of(new WaitingRunner()),
            executor, timer, new JobLimits(Duration.ofSeconds(30), 64L << 20), Clock.systemUTC(), new ConsoleMonitor());
    private final ComputeJobsApiController controller = new ComputeJobsApiController(service, store, ComputeRequestReaderTest.reader());

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
        timer.shutdownNow();
    }

    /** Waits until released or cancelled. */
    private final class WaitingRunner implements JobRunner {
        @Override
        public JobType type() {
            return JobType.SQL;
        }

        @Override
        public Result<Void> validate(JobDescription description) {
            return Result.success();
        }

        @Override
        public Result<JobOutput> run(JobRun run) {
            var cancelled = new CountDownLatch(1);
            run.cancellation().onCancel(cancelled::countDown);
            try {
                while (!release.await(10, TimeUnit.MILLISECONDS)) {
                    if (cancelled.getCount() == 0) {
                        return Result.failure("cancelled");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Result.success(new JobOutput.Table(List.of("n"), List.of(List.of(1L))));
        }
    }

    private static final JobDescription SQL = JobDescription.of(JobType.SQL, Map.of("query", "SELECT count(*) FROM asset"));

    @Test
    void jobs_shouldListTheAgreementsJobsWithTheirHashes() {
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
        var first = service.submit(ComputeTestFixtures.VENDOR, agreement, SQL).getContent();
        var second = service.submit(ComputeTestFixtures.VENDOR, agreement, JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1"))).getContent();

        var jobs = controller.jobs(agreement.getId());

        assertThat(jobs).extracting(ComputeJobsApiController.JobView::id).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.type()).isEqualTo("sql");
            assertThat(job.descriptionHash()).hasSize(64);
        });
        assertThat(controller.jobs("another-agreement")).isEmpty();
    }

    @Test
    void job_shouldShowARefusalWithItsReason() {
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "ai.training")));
        var refused = service.submit(ComputeTestFixtures.VENDOR, agreement, SQL).getContent();

        var view = controller.job(refused.id());

        assertThat(view.state()).isEqualTo("FAILED");
        assertThat(view.reason()).startsWith("denied by policy").contains("purpose");
        assertThat(view.admitted()).isFalse();
    }

    @Test
    void cancel_aRunningJob_shouldCancelItAsTheProvider() {
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
        var job = service.submit(ComputeTestFixtures.VENDOR, agreement, SQL).getContent();
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(controller.job(job.id()).state()));

        var cancelled = controller.cancel(job.id(), null);

        assertThat(cancelled.state()).isEqualTo("CANCELLED");
        assertThat(cancelled.reason()).isEqualTo("cancelled by provider");
        assertThatThrownBy(() -> controller.cancel(job.id(), null)).isInstanceOf(ObjectConflictException.class)
                .hasMessageContaining("cannot move from CANCELLED to CANCELLED");
    }

    @Test
    void cancel_withAJsonLdBody_shouldKeepItsReason() {
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
        var job = service.submit(ComputeTestFixtures.VENDOR, agreement, SQL).getContent();

        var cancelled = controller.cancel(job.id(), """
                { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#" }, "@type": "ComputeJobCancellation", "reason": "maintenance window" }
                """);

        assertThat(cancelled.state()).isEqualTo("CANCELLED");
        assertThat(cancelled.reason()).isEqualTo("cancelled by provider: maintenance window");
    }

    @Test
    void cancel_withAPlainBody_shouldKeepItsReason() {
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
        var job = service.submit(ComputeTestFixtures.VENDOR, agreement, SQL).getContent();

        var cancelled = controller.cancel(job.id(), "{\"reason\": \"maintenance window\"}");

        assertThat(cancelled.reason()).isEqualTo("cancelled by provider: maintenance window");
    }

    @Test
    void cancel_withABadBody_shouldBe400AndCancelNothing() {
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
        var job = service.submit(ComputeTestFixtures.VENDOR, agreement, SQL).getContent();

        assertThatThrownBy(() -> controller.cancel(job.id(), """
                { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#" }, "@type": "ComputeJobCancellation", "why": "x" }
                """)).isInstanceOf(ValidationFailureException.class).hasMessageContaining("why: unknown member");
        assertThatThrownBy(() -> controller.cancel(job.id(), "{\"reason\": 42}")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("reason");
        assertThat(store.findById(job.id())).get().extracting(j -> j.state().isFinal()).isEqualTo(false);
    }

    @Test
    void job_shouldBeCompactedJsonLdWithTypeAndId() {
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
        var job = service.submit(ComputeTestFixtures.VENDOR, agreement, SQL).getContent();

        var view = controller.job(job.id());

        assertThat(view.jsonLdId()).isEqualTo(job.id()).isEqualTo(view.id());
        assertThat(view.jsonLdType()).isEqualTo("ComputeJob");
        assertThat(view.context()).isEqualTo(ComputeJsonLd.CONTEXT);
    }

    @Test
    void unknownJobsAndMissingAgreements_shouldBe404And400() {
        assertThatThrownBy(() -> controller.job("nope")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> controller.cancel("nope", null)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> controller.jobs(" ")).isInstanceOf(InvalidRequestException.class);
    }
}
