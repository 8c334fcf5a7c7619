package io.kakehashi.transfer.grpc.stream;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.TestContent;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.bulk.BulkPull;
import io.kakehashi.transfer.grpc.bulk.BulkReceiver;
import io.kakehashi.transfer.spi.BulkSource;
import io.kakehashi.transfer.grpc.bulk.BulkTransferService;
import io.kakehashi.transfer.grpc.bulk.FileBulkSource;
import io.kakehashi.transfer.grpc.bulk.GatedBulkSource;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A provider's gRPC endpoint that goes away mid-transfer (its server killed, connections refused) and comes back on
 * the same port three seconds later, as a connector restart does: the consumer's pull waits for it with the default
 * retry settings and continues from where it stands.
 */
class ProviderRestartTest {

    private static final int CHUNK = 64 * 1024;
    private static final long SIZE = 4L * 1024 * 1024 + 777;
    /** What a connector restart takes at least (the campaign measured 3 s to 20 s). */
    private static final Duration RESTART = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final Monitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final TestTokens tokens = new TestTokens();
    private final GrpcTransferConfig config = GrpcTransferConfig.defaults().withChunkSize(CHUNK);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final int port = Ports.freePort();
    private final ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    private Server server;

    @AfterEach
    void tearDown() throws InterruptedException {
        channel.shutdownNow();
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        executor.shutdownNow();
    }

    /** The provider's endpoint with fresh registries and meters, as after a start. */
    private void startProvider(TransferRegistry<BulkSource> sources, TransferRegistry<RecordStream> streams, TransferMeters meters)
            throws IOException {
        var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
        List<BindableService> services = List.of(
                new BulkTransferService(authorization, sources, new TransferRegistry<>(), meters, config, Clock.systemUTC(), monitor),
                new RecordStreamService(authorization, streams, new TransferRegistry<>(), meters, config, executor, Clock.systemUTC(), monitor));
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), InsecureServerCredentials.create())
                .withOption(ChannelOption.SO_REUSEADDR, true);
        services.forEach(service -> builder.addService(ServerInterceptors.intercept(service, authorization)));
        server = builder.build().start();
    }

    /**
     * The provider goes down: its live calls end as a dying connector's do (UNAVAILABLE: the connections drop, or the
     * data plane's shutdown ends them so), and new connections are refused until it is back.
     */
    private void killProvider(TransferRegistry<?> registry, Runnable afterInterrupt) throws InterruptedException {
        registry.interruptAll(Status.UNAVAILABLE.withDescription("the data plane is shutting down"));
        afterInterrupt.run();
        // as the extension's shutdown: new calls are refused at once, live ones end with the status they were given
        if (!server.shutdown().awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server = null;
    }

    @Test
    void bulkPull_whenProviderRestartsMidTransfer_shouldContinueFromItsOffsetAndBeIdentical() throws Exception {
        var file = TestContent.file(dir, "source", SIZE, 42);
        var gated = new GatedBulkSource(new FileBulkSource(file, "application/octet-stream"), SIZE / 3);
        var sources = new TransferRegistry<BulkSource>();
        sources.register("b1", gated);
        startProvider(sources, new TransferRegistry<>(), new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC()));
        var destination = dir.resolve("in/b1.bin");
        var token = tokens.issue("b1");
        var pull = CompletableFuture.supplyAsync(() -> new BulkPull(channel, "b1", () -> token, destination, config, monitor).run(), executor);
        assertThat(gated.awaitReached()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(BulkReceiver.partialFileOf(destination))
                && Files.size(BulkReceiver.partialFileOf(destination)) > 0);

        killProvider(sources, gated::open);
        Thread.sleep(RESTART.toMillis());
        var restarted = new TransferRegistry<BulkSource>();
        restarted.register("b1", new FileBulkSource(file, "application/octet-stream"));
        var metersAfter = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
        startProvider(restarted, new TransferRegistry<>(), metersAfter);

        TransferOutcome outcome = pull.get(60, TimeUnit.SECONDS);
        assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
        assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
        assertThat(outcome.attempts()).isGreaterThan(1);
        // the restarted provider sent only what the consumer did not hold yet
        assertThat(metersAfter.progress("b1")).get().satisfies(progress -> assertThat(progress.bytes()).isLessThan(SIZE));
        assertThat(BulkReceiver.partialFileOf(destination)).doesNotExist();
    }

    @Test
    void recordSubscription_whenProviderRestarts_shouldLoseAndRepeatNoRecord() throws Exception {
        // the provider's stream position survives its restart (as a record file's positions file does)
        var stream = new RecordStream(new CountingRecordSource(), 16L * 1024 * 1024, Clock.systemUTC());
        var streams = new TransferRegistry<RecordStream>();
        streams.register("s1", stream);
        startProvider(new TransferRegistry<>(), streams, new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC()));
        var sink = new CollectingRecordSink();
        var token = tokens.issue("s1");
        var subscription = CompletableFuture.supplyAsync(() -> new RecordSubscription(channel, "s1", () -> token, sink, config, monitor).run(),
                executor);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() >= 200);

        killProvider(streams, () -> { });
        Thread.sleep(RESTART.toMillis());
        var restarted = new TransferRegistry<RecordStream>();
        restarted.register("s1", stream);
        var metersAfter = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
        startProvider(new TransferRegistry<>(), restarted, metersAfter);
        var atRestart = sink.size();
        // records the restarted provider sent, not only ones the consumer still held from before the kill (a batch
        // can be thousands of records): then its call is live when the transfer is terminated (fast loop of
        // 2026-12-07, where the consumer's retry came after the terminate and was refused as terminated)
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.size() >= atRestart + 200
                && metersAfter.progress("s1").map(progress -> progress.messages() > 0).orElse(false));
        restarted.terminate("s1");

        var outcome = subscription.get(30, TimeUnit.SECONDS);
        assertThat(outcome.status().getCode()).as(outcome.describe()).isEqualTo(Status.Code.CANCELLED);
        assertThat(outcome.attempts()).isGreaterThan(1);
        assertThat(sink.isContiguous()).as("in order, none lost, none repeated across the restart").isTrue();
    }
}
