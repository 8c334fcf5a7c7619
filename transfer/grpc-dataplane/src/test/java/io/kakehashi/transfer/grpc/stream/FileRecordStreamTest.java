package io.kakehashi.transfer.grpc.stream;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.InProcessGrpc;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real-time streams over gRPC from a JSON Lines file that a producer keeps appending to. */
class FileRecordStreamTest {

    private final Monitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final TestTokens tokens = new TestTokens();
    private final TransferRegistry<RecordStream> streams = new TransferRegistry<>();
    private final TransferMeters meters = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
    private final GrpcTransferConfig config = GrpcTransferConfig.defaults().withMaxAttempts(3).withRetryBackoff(Duration.ofMillis(10)).withRetryWindow(Duration.ZERO);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    @TempDir
    Path root;
    private RecordFiles files;
    private InProcessGrpc grpc;

    @BeforeEach
    void setUp() throws IOException {
        var served = Files.createDirectories(root.resolve("served"));
        Files.createFile(served.resolve("telemetry.jsonl"));
        files = new RecordFiles(served, root.resolve("state"), Duration.ofMillis(5), "kakehashi.transfer.stream.directory");
        var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
        var service = new RecordStreamService(authorization, streams, new TransferRegistry<>(), meters, config, executor, Clock.systemUTC(), monitor);
        grpc = new InProcessGrpc(List.of(service), List.of(authorization));
        executor.execute(this::produce);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        producing.set(false);
        grpc.close();
        executor.shutdownNow();
    }

    /** The machine: appends "record-n" lines, a few at a time, sometimes leaving a line half written for a moment. */
    private void produce() {
        try (OutputStream out = Files.newOutputStream(root.resolve("served/telemetry.jsonl"), StandardOpenOption.APPEND)) {
            while (producing.get()) {
                var n = written.getAndIncrement();
                var line = ("record-" + n + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(line, 0, 4);
                out.flush();
                out.write(line, 4, line.length - 4);
                out.flush();
                if (n % 20 == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException | InterruptedException e) {
            producing.set(false);
        }
    }

    private RecordStream open(String transferId) {
        var source = files.open(transferId, "telemetry.jsonl");
        assertThat(source.succeeded()).as(source.getFailureMessages().toString()).isTrue();
        return new RecordStream(source.getContent(), 64 * 1024, Clock.systemUTC());
    }

    private CompletableFuture<TransferOutcome> subscribe(String transferId, CollectingRecordSink sink) {
        var subscription = new RecordSubscription(grpc.channel(), transferId, () -> tokens.issue(transferId), sink, config, monitor);
        return CompletableFuture.supplyAsync(subscription::run, executor);
    }

    @Test
    void run_whenSuspendedAndResumed_shouldContinueWithNoLossAndNoDuplicate() throws Exception {
        streams.register("f1", open("f1"));
        var sink = new CollectingRecordSink();
        var first = subscribe("f1", sink);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() >= 300);

        streams.suspend("f1");

        assertThat(first.get(10, TimeUnit.SECONDS).status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        var atSuspend = sink.size();
        assertThat(subscribe("f1", sink).get(10, TimeUnit.SECONDS).status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(sink.size()).isEqualTo(atSuspend);

        streams.resume("f1");
        var second = subscribe("f1", sink);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() >= atSuspend + 300);
        streams.terminate("f1");

        assertThat(second.get(10, TimeUnit.SECONDS).status().getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(sink.isContiguous()).as("in order, no loss, no duplicate").isTrue();
    }

    @Test
    void run_whenTerminated_shouldDeliverNothingAfterwardsWhileTheFileKeepsGrowing() throws Exception {
        streams.register("f2", open("f2"));
        var sink = new CollectingRecordSink();
        var running = subscribe("f2", sink);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() >= 100);

        streams.terminate("f2");

        assertThat(running.get(10, TimeUnit.SECONDS).status().getCode()).isEqualTo(Status.Code.CANCELLED);
        var atEnd = sink.size();
        var writtenAtEnd = written.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> written.get() > writtenAtEnd + 500);
        assertThat(sink.size()).isEqualTo(atEnd);
        assertThat(sink.isContiguous()).isTrue();
    }

    @Test
    void run_whenProviderRestartsWithTheSameTransfer_shouldContinueAtTheConsumersNextRecord() throws Exception {
        var before = open("f3");
        streams.register("f3", before);
        var sink = new CollectingRecordSink();
        var first = subscribe("f3", sink);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() >= 200);

        // the provider goes down: its calls end, its stream is gone, only the positions file remains
        streams.suspend("f3");
        first.get(10, TimeUnit.SECONDS);
        before.close();
        streams.register("f3", open("f3"));
        var second = subscribe("f3", sink);
        var atRestart = sink.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() >= atRestart + 200);
        streams.terminate("f3");

        second.get(10, TimeUnit.SECONDS);
        assertThat(sink.isContiguous()).as("in order, no loss, no duplicate across the restart").isTrue();
    }
}
