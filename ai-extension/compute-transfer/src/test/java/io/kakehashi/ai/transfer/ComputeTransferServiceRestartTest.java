package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.core.InMemoryEpsilonLedger;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.bulk.GrpcBulkPushes;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.spi.PushRetry;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.pipeline.StreamFailure;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provider's data plane after a kill -9 while a job ran: EDC starts the job's flow anew, the job store holds the
 * job RUNNING, and the consumer's verified agent (kept in memory) is gone. The consumer's sink is not reachable here
 * (a closed port, one attempt): the test follows the job, not the push.
 */
class ComputeTransferServiceRestartTest {

    private static final Instant BEFORE = Instant.parse("2026-12-06T20:00:00Z");
    private static final JobDescription SQL = JobDescription.of(JobType.SQL, Map.of("query", "SELECT count(*) FROM asset"));
    private static final JobOutput TABLE = new JobOutput.Table(List.of("n"), List.of(List.of(30L)));

    private final InMemoryComputeJobStore store = new InMemoryComputeJobStore();
    private final List<JobRun> runs = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final GrpcChannels channels = new GrpcChannels();
    private final ContractAgreement agreement = ContractAgreement.Builder.newInstance()
            .id("agreement-1").agreementId("agreement-1").providerId("jp-machine-tool-maker").consumerId("ai-vendor")
            .assetId("machines").contractSigningDate(0).policy(Policy.Builder.newInstance().build()).build();

    /** The restarted connector's job service: its store as the kill left it, nothing in memory. */
    private final ComputeJobService jobs = new ComputeJobService(store, new InMemoryEpsilonLedger(), noDecisions(),
            assetId -> Result.success(new TabularAsset(Path.of("/data/" + assetId + ".csv"), TabularAsset.Format.CSV)),
            List.of(new RecordingRunner()), executor, timers, new JobLimits(Duration.ofSeconds(30), 64L << 20), Clock.systemUTC(),
            new ConsoleMonitor());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    /** What a run waits for before it returns its result; open unless a test holds the runs. */
    private volatile CountDownLatch holdRuns = new CountDownLatch(0);
    private final ComputeTransferService service = new ComputeTransferService(jobs, processId -> agreement, new TransferAgents(),
            new GrpcBulkPushes(channels, new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC()), GrpcTransferConfig.defaults(),
                    Clock.systemUTC(), new ConsoleMonitor()), PushRetry.dataPlaneSettings().withMaxAttempts(1),
            executor, timers, Duration.ofSeconds(1), new ConsoleMonitor() {
                @Override
                public void warning(Supplier<String> supplier, Throwable... errors) {
                    warnings.add(supplier.get());
                }
            });

    @AfterEach
    void stop() {
        channels.close();
        executor.shutdownNow();
        timers.shutdownNow();
    }

    @Test
    void aFlowStartedAnewAfterARestart_shouldRunItsJobAgainWithoutTheAgent() throws Exception {
        store.create(JobRecord.queued("process-1", agreement.getId(), agreement.getAssetId(), "ai-vendor", SQL, BEFORE));
        store.update("process-1", j -> j.asAdmitted(BEFORE));
        store.update("process-1", j -> j.withState(JobState.RUNNING, null, BEFORE));

        var flow = service.transfer(start("process-1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> store.findById("process-1").orElseThrow().state().isFinal());
        var job = store.findById("process-1").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.resultHash()).isEqualTo(TABLE.hash());
        assertThat(runs).singleElement().satisfies(run -> assertThat(run.job().id()).isEqualTo("process-1"));
        // the result was taken for the push (which found no consumer here), not refused before
        var ended = flow.get(10, TimeUnit.SECONDS);
        assertThat(ended.getFailureDetail()).contains("the result could not be delivered to the consumer");
        assertThat(jobs.result("process-1")).isEmpty();
        assertThat(store.countAdmitted(agreement.getId())).isEqualTo(1);
    }

    @Test
    void aStartRepeatedWhileTheJobRuns_shouldFollowTheJobOnceAndPushOneDocument() throws Exception {
        var blocked = new CountDownLatch(1);
        store.create(JobRecord.queued("process-5", agreement.getId(), agreement.getAssetId(), "ai-vendor", SQL, BEFORE));
        store.update("process-5", j -> j.asAdmitted(BEFORE));
        store.update("process-5", j -> j.withState(JobState.RUNNING, null, BEFORE));
        holdRuns = blocked;

        var first = service.transfer(start("process-5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
        // the control plane's TransferStartMessage failed and STARTING ran again: EDC hands the same flow over again
        var repeated = service.transfer(start("process-5"));
        blocked.countDown();

        var firstEnd = first.get(10, TimeUnit.SECONDS);
        var repeatedEnd = repeated.get(10, TimeUnit.SECONDS);
        assertThat(runs).hasSize(1);
        // one document was pushed (to no consumer here), the result's; none says the result is no longer kept
        assertThat(warnings).filteredOn(w -> w.contains("could not be delivered")).hasSize(1);
        assertThat(repeatedEnd.getFailureDetail()).isEqualTo(firstEnd.getFailureDetail()).doesNotContain("no longer kept");

        var afterTheEnd = service.transfer(start("process-5")).get(10, TimeUnit.SECONDS);
        assertThat(afterTheEnd.getFailureDetail()).isEqualTo(firstEnd.getFailureDetail());
        assertThat(warnings).filteredOn(w -> w.contains("could not be delivered")).hasSize(1);
        // EDC terminates the failed flow: it ended here and has nothing left to stop, which is not "not found"
        assertThat(service.terminate(DataFlow.Builder.newInstance().id("process-5").build()).succeeded()).isTrue();
        assertThat(service.terminate(DataFlow.Builder.newInstance().id("never-started").build()).reason())
                .isEqualTo(StreamFailure.Reason.NOT_FOUND);
    }

    @Test
    void aFlowWhoseJobFailedAtTheRestart_shouldEndWithTheRestartsReason() throws Exception {
        store.create(JobRecord.queued("process-2", agreement.getId(), agreement.getAssetId(), "ai-vendor", SQL, BEFORE));
        jobs.resumeUnfinished(id -> agreement, id -> null);

        var flow = service.transfer(start("process-2"));

        flow.get(10, TimeUnit.SECONDS);
        assertThat(store.findById("process-2").orElseThrow().reason()).startsWith(ComputeJobService.RESTARTED);
        assertThat(runs).isEmpty();
    }

    @Test
    void aFlowWhoseJobCompletedBeforeTheRestart_shouldSayItsResultIsLost() throws Exception {
        store.create(JobRecord.queued("process-4", agreement.getId(), agreement.getAssetId(), "ai-vendor", SQL, BEFORE));
        store.update("process-4", j -> j.asAdmitted(BEFORE));
        store.update("process-4", j -> j.withState(JobState.RUNNING, null, BEFORE));
        store.update("process-4", j -> j.completed(TABLE.hash(), BEFORE));

        var ended = service.transfer(start("process-4")).get(10, TimeUnit.SECONDS);

        // the document with this reason could not be pushed here: the flow's failure says so, and the job stays as it was
        assertThat(ended.failed()).isTrue();
        assertThat(store.findById("process-4").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(runs).isEmpty();
    }

    @Test
    void aNewFlowAfterARestart_shouldStillNeedTheConsumersVerifiedAgent() throws Exception {
        var flow = service.transfer(start("process-3"));

        flow.get(10, TimeUnit.SECONDS);
        assertThat(store.findById("process-3")).isEmpty();
        assertThat(runs).isEmpty();
    }

    private static DataFlowStartMessage start(String processId) throws IOException {
        var sink = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE)
                .property(GrpcStreamAddresses.ENDPOINT, "grpc://127.0.0.1:%d/bulk".formatted(closedPort()))
                .property(GrpcStreamAddresses.AUTHORIZATION, "token-of-" + processId)
                .property(GrpcStreamAddresses.TRANSFER_ID, processId)
                .build();
        return DataFlowStartMessage.Builder.newInstance()
                .processId(processId)
                .assetId("machines")
                .agreementId("agreement-1")
                .participantId("ai-vendor")
                .sourceDataAddress(DataAddress.Builder.newInstance().type("File").property("path", "/data/machines.csv").build())
                .destinationDataAddress(ComputeTransferAddresses.destination(SQL, sink))
                .build();
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** No decision is taken on a job taken up after a restart: any call to the engine is a failure of the test. */
    private static PolicyEngine noDecisions() {
        return (PolicyEngine) Proxy.newProxyInstance(ComputeTransferServiceRestartTest.class.getClassLoader(), new Class<?>[]{PolicyEngine.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the policy engine was asked: " + method.getName());
                });
    }

    private final class RecordingRunner implements JobRunner {
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
            runs.add(run);
            try {
                if (!holdRuns.await(10, TimeUnit.SECONDS)) {
                    return Result.failure("the test did not let the run finish");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.failure("interrupted");
            }
            return Result.success(TABLE);
        }
    }
}
