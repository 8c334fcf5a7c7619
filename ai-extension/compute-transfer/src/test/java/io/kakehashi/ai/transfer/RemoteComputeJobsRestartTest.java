package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.InMemoryRemoteJobStore;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.RemoteJob;
import io.kakehashi.ai.spi.Sha256;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.edc.TestPushSinks;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer's jobs after a restart of its connector: the store (PostgreSQL in production) and the result
 * directory are what is left; the gRPC endpoint's sinks, in memory, are gone, and {@link RemoteComputeJobs} is built
 * anew over the same store, as the restarted connector builds it.
 */
class RemoteComputeJobsRestartTest {

    private static final Instant T0 = Instant.parse("2026-12-06T20:00:00Z");

    @TempDir
    Path resultDir;

    private final InMemoryRemoteJobStore store = new InMemoryRemoteJobStore();

    /** The connector's compute jobs over a gRPC endpoint whose sinks are {@code registry}, as one start builds them. */
    private RemoteComputeJobs jobs(TransferRegistry<Path> registry) {
        var sinks = TestPushSinks.over(registry);
        return new RemoteComputeJobs(store, id -> null, id -> Result.success(), () -> sinks, () -> null, () -> null, "ai-vendor",
                resultDir, Clock.systemUTC(), new ConsoleMonitor());
    }

    /** A job sent before the restart, as {@code submit} leaves it: stored, its sinks open, running at the provider. */
    private RemoteJob sentBefore(TransferRegistry<Path> registry, String id) {
        var job = RemoteJob.queued(id, "agreement-1", "machines", "jp-maker", "http://maker/protocol/2025-1",
                JobDescription.of(JobType.SQL, Map.of("query", "SELECT count(*) FROM asset")), T0);
        store.create(job);
        var sinks = TestPushSinks.over(registry);
        sinks.openBulkSink(id, "agreement-1", resultDir.resolve(id + ".json"));
        sinks.openBulkSink(RemoteComputeJobs.progressTransferId(id), "agreement-1", resultDir.resolve(id + ".progress.json"));
        jobs(registry).started(id);
        return store.findById(id).orElseThrow();
    }

    @Test
    void reopenSinks_afterARestart_shouldGiveTheProvidersPushOfAResultItsSinkAgain() {
        sentBefore(new TransferRegistry<>(), "job-1");
        var afterRestart = new TransferRegistry<Path>();

        var reopened = jobs(afterRestart).reopenSinks();

        assertThat(reopened).isEqualTo(1);
        var lease = afterRestart.open("job-1", status -> { });
        assertThat(lease.succeeded()).isTrue();
        assertThat(lease.getContent().value()).isEqualTo(resultDir.resolve("job-1.json"));
        assertThat(afterRestart.open(RemoteComputeJobs.progressTransferId("job-1"), status -> { }).succeeded()).isTrue();
    }

    @Test
    void withoutReopening_theRestartedEndpoint_shouldNotKnowTheSink() {
        sentBefore(new TransferRegistry<>(), "job-1");
        var afterRestart = new TransferRegistry<Path>();
        jobs(afterRestart);

        var lease = afterRestart.open("job-1", status -> { });

        assertThat(lease.failed()).isTrue();
        assertThat(lease.getFailure().getReason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
    }

    @Test
    void aJobSentBeforeTheRestart_shouldCompleteWithTheResultPushedAfterIt_byteExact() throws Exception {
        sentBefore(new TransferRegistry<>(), "job-1");
        var afterRestart = new TransferRegistry<Path>();
        var jobs = jobs(afterRestart);
        jobs.reopenSinks();
        var table = new JobOutput.Table(List.of("region", "machines"), List.of(List.of("Aichi", 10L), List.of("Osaka", 20L)));
        var document = ResultDocument.completed("provider-job", table.hash(), table);

        // what the endpoint's bulk receiver does with the provider's push: the sink's file, then the process completes
        var sink = afterRestart.open("job-1", status -> { }).getContent().value();
        Files.write(sink, document);
        jobs.completed("job-1");

        var job = jobs.find("job-1").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.resultHash()).isEqualTo(table.hash());
        assertThat(job.resultSha256()).isEqualTo(Sha256.hex(document));
        assertThat(jobs.resultDocument("job-1").getContent()).isEqualTo(document);
    }

    @Test
    void reopenSinks_shouldLeaveEndedJobsClosed() {
        sentBefore(new TransferRegistry<>(), "job-1");
        store.update("job-1", j -> j.withState(JobState.CANCELLED, "cancelled by consumer", T0));
        var afterRestart = new TransferRegistry<Path>();

        assertThat(jobs(afterRestart).reopenSinks()).isZero();
        assertThat(afterRestart.open("job-1", status -> { }).failed()).isTrue();
    }
}
