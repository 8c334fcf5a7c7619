package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.InMemoryRemoteJobStore;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.RemoteJob;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The safety net for a transfer process that does not follow its job's result. */
class SettleStalledTest {

    private static final Instant T0 = Instant.parse("2026-11-23T07:00:00Z");

    @TempDir
    Path dir;

    private final InMemoryRemoteJobStore store = new InMemoryRemoteJobStore();
    private final List<String> terminated = new CopyOnWriteArrayList<>();
    /** Transfer processes that have ended, by id (any other is still REQUESTED as far as the jobs can tell). */
    private final Map<String, TransferProcess> ended = new java.util.concurrent.ConcurrentHashMap<>();
    private final TransferProcessService processes = (TransferProcessService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{TransferProcessService.class}, (proxy, method, args) -> {
                if (method.getName().equals("terminate")) {
                    terminated.add(((TerminateTransferCommand) args[0]).getEntityId());
                    return ServiceResult.success();
                }
                if (method.getName().equals("findById")) {
                    return ended.get((String) args[0]);
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private RemoteComputeJobs jobs(Instant now) {
        return new RemoteComputeJobs(store, id -> null, id -> Result.success(), () -> null, () -> processes, () -> null, "ai-vendor", dir,
                Clock.fixed(now, ZoneOffset.UTC), new ConsoleMonitor());
    }

    private RemoteJob queued(String id) {
        var job = RemoteJob.queued(id, "agreement-1", "machines", "jp-maker", "http://maker/protocol/2025-1",
                JobDescription.of(JobType.SQL, Map.of("query", "SELECT count(*) FROM asset")), T0);
        store.create(job);
        return job;
    }

    @Test
    void aJobWhoseDocumentArrivedLongAgo_shouldTakeItsEndAndTerminateItsProcess() throws Exception {
        queued("stalled");
        var table = new JobOutput.Table(List.of("n"), List.of(List.of(30L)));
        Files.write(dir.resolve("stalled.json"), ResultDocument.completed("provider-job", table.hash(), table));

        var settled = jobs(T0.plusSeconds(60)).settleStalled(Duration.ofSeconds(30));

        assertThat(settled).isEqualTo(1);
        var job = store.findById("stalled").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.resultHash()).isEqualTo(table.hash());
        assertThat(job.providerJobId()).isEqualTo("provider-job");
        assertThat(terminated).containsExactly("stalled");
    }

    @Test
    void aRefusalDocument_shouldEndTheJobWithItsReason() throws Exception {
        queued("refused");
        Files.write(dir.resolve("refused.json"), ResultDocument.ended("provider-job", JobState.FAILED, "denied by policy: purpose"));

        jobs(T0.plusSeconds(60)).settleStalled(Duration.ofSeconds(30));

        assertThat(store.findById("refused").orElseThrow().reason()).isEqualTo("denied by policy: purpose");
        assertThat(store.findById("refused").orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void recentJobsAndJobsWithoutADocument_shouldBeLeftToTheirProcesses() throws Exception {
        queued("recent");
        queued("waiting");
        var table = new JobOutput.Table(List.of("n"), List.of(List.of(30L)));
        Files.write(dir.resolve("recent.json"), ResultDocument.completed("provider-job", table.hash(), table));

        var settled = jobs(T0.plusSeconds(10)).settleStalled(Duration.ofSeconds(30));
        var later = jobs(T0.plusSeconds(60)).settleStalled(Duration.ofSeconds(30)) - 1;

        assertThat(settled).isZero();
        assertThat(later).isZero();
        assertThat(store.findById("waiting").orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(terminated).containsExactly("recent");
    }

    @Test
    void aJobWhoseProcessWasTerminatedWithoutItsEvent_shouldFailWithTheProvidersRefusal() {
        queued("refused-request");
        ended.put("refused-request", process("refused-request", TransferProcessStates.TERMINATED,
                "{\"@type\":\"TransferError\",\"code\":\"409\",\"reason\":[\"denied by policy: count\"]}"));

        var settled = jobs(T0.plusSeconds(60)).settleStalled(Duration.ofSeconds(30));

        assertThat(settled).isEqualTo(1);
        var job = store.findById("refused-request").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.reason()).isEqualTo("refused by the provider (409): denied by policy: count");
        assertThat(terminated).isEmpty();
    }

    @Test
    void aJobWhoseProcessIsStillRequested_shouldStayQueued() {
        queued("requested");
        ended.put("requested", process("requested", TransferProcessStates.REQUESTED, null));

        assertThat(jobs(T0.plusSeconds(60)).settleStalled(Duration.ofSeconds(30))).isZero();
        assertThat(store.findById("requested").orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    private static TransferProcess process(String id, TransferProcessStates state, String errorDetail) {
        return TransferProcess.Builder.newInstance().id(id).type(TransferProcess.Type.CONSUMER).state(state.code())
                .errorDetail(errorDetail).build();
    }

    @Test
    void settleStalled_shouldReadOnlyTheUnfinishedJobs() throws Exception {
        queued("stalled-again");
        var table = new JobOutput.Table(List.of("n"), List.of(List.of(30L)));
        Files.write(dir.resolve("stalled-again.json"), ResultDocument.completed("provider-job", table.hash(), table));
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var onlyUnfinished = new io.kakehashi.ai.spi.RemoteJobStore() {
            public org.eclipse.edc.spi.result.StoreResult<Void> create(RemoteJob job) {
                return store.create(job);
            }

            public java.util.Optional<RemoteJob> findById(String id) {
                return store.findById(id);
            }

            public List<RemoteJob> findByAgreement(String agreementId) {
                throw new AssertionError("the stall check read every job");
            }

            public List<RemoteJob> findUnfinished() {
                reads.incrementAndGet();
                return store.findUnfinished();
            }

            public org.eclipse.edc.spi.result.StoreResult<RemoteJob> update(String id, java.util.function.UnaryOperator<RemoteJob> change) {
                return store.update(id, change);
            }
        };
        var jobs = new RemoteComputeJobs(onlyUnfinished, id -> null, id -> Result.success(), () -> null, () -> processes, () -> null, "ai-vendor", dir,
                Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), new ConsoleMonitor());

        assertThat(jobs.settleStalled(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(jobs.settleStalled(Duration.ofSeconds(30))).isZero();
        assertThat(reads).hasValue(2);
    }
}
