package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.InProcessGrpc;
import io.kakehashi.transfer.grpc.TestContent;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.bulk.BulkPush;
import io.kakehashi.transfer.grpc.bulk.BulkReceiver;
import io.kakehashi.transfer.spi.BulkSource;
import io.kakehashi.transfer.grpc.bulk.BulkTransferService;
import io.kakehashi.transfer.grpc.bulk.FileBulkSource;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.stream.FileRecordSink;
import io.kakehashi.transfer.grpc.stream.RecordPush;
import io.kakehashi.transfer.grpc.stream.RecordSink;
import io.kakehashi.transfer.grpc.stream.RecordStream;
import io.kakehashi.transfer.grpc.stream.RecordStreamService;
import io.kakehashi.transfer.grpc.stream.SeekableRecordSource;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer connector that restarted: its in-memory state is gone, its transfer processes and files are not. A fresh
 * {@link GrpcConsumerTransfers} resumes the pulls its store holds as STARTED, and finds a PUSH transfer's sink from its
 * process when the provider comes back with it.
 */
class ConsumerRestartTest {

    private static final int CHUNK = 64 * 1024;
    private static final long SIZE = 2L * 1024 * 1024 + 4321;

    @TempDir
    Path dir;

    private final Monitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final TestTokens tokens = new TestTokens();
    private final GrpcTransferConfig config = GrpcTransferConfig.defaults().withChunkSize(CHUNK);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final GrpcChannels channels = new GrpcChannels();
    private final FakeTransferProcesses store = new FakeTransferProcesses();
    private final TransferMeters providerMeters = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
    private final TransferRegistry<BulkSource> providerSources = new TransferRegistry<>();
    private final TransferRegistry<RecordStream> providerStreams = new TransferRegistry<>();
    private final int providerPort = Ports.freePort();
    private Server provider;
    private InProcessGrpc consumerEndpoint;

    @AfterEach
    void tearDown() throws InterruptedException {
        channels.close();
        if (provider != null) {
            provider.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (consumerEndpoint != null) {
            consumerEndpoint.close();
        }
        executor.shutdownNow();
    }

    /** The consumer's side as it is right after a restart: empty registries, nothing running. */
    private GrpcConsumerTransfers freshConsumer(TransferRegistry<Path> bulkSinks, TransferRegistry<RecordSink> recordSinks) {
        return new GrpcConsumerTransfers(bulkSinks, recordSinks, null, null, channels, config, executor, store::service,
                new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC()), monitor);
    }

    private void startProvider() throws IOException {
        var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
        List<BindableService> services = List.of(
                new BulkTransferService(authorization, providerSources, new TransferRegistry<>(), providerMeters, config, Clock.systemUTC(), monitor),
                new RecordStreamService(authorization, providerStreams, new TransferRegistry<>(), providerMeters, config, executor,
                        Clock.systemUTC(), monitor));
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", providerPort), InsecureServerCredentials.create());
        services.forEach(service -> builder.addService(ServerInterceptors.intercept(service, authorization)));
        provider = builder.build().start();
    }

    private static TransferProcess process(String id, TransferProcess.Type type, String transferType, TransferProcessStates state,
                                           String providerId, Path destination) {
        return TransferProcess.Builder.newInstance().id(id).type(type).transferType(transferType).state(state.code())
                .correlationId(providerId).contractId("agreement-of-" + providerId)
                .privateProperties(Map.of(GrpcStreamAddresses.DESTINATION_PATH, destination.toString()))
                .build();
    }

    private DataAddress edr(String providerId, boolean stream) {
        return DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE)
                .property(GrpcStreamAddresses.ENDPOINT, GrpcStreamAddresses.endpoint("127.0.0.1", providerPort, stream, null))
                .property(GrpcStreamAddresses.AUTHORIZATION, tokens.issue(providerId))
                .build();
    }

    @Test
    void resumeStartedPulls_whenABulkPullWasRunning_shouldContinueFromThePartialFileAndComplete() throws Exception {
        var file = TestContent.file(dir, "source.bin", SIZE, 7);
        providerSources.register("provider-1", new FileBulkSource(file, "application/octet-stream"));
        startProvider();
        var destination = dir.resolve("inbox/data.bin");
        // what the consumer had written when it was killed
        var held = 700_000;
        Files.createDirectories(destination.getParent());
        Files.write(BulkReceiver.partialFileOf(destination), java.util.Arrays.copyOf(Files.readAllBytes(file), held));
        store.add(process("consumer-1", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PULL, TransferProcessStates.STARTED, "provider-1", destination));
        // not to be touched: a provider's process, a PUSH, a suspended pull
        store.add(process("consumer-2", TransferProcess.Type.PROVIDER, GrpcStreamAddresses.PULL, TransferProcessStates.STARTED, "x", dir.resolve("x")));
        store.add(process("consumer-3", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.STARTED, "y", dir.resolve("y")));
        store.add(process("consumer-4", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PULL, TransferProcessStates.SUSPENDED, "z", dir.resolve("z")));
        var edrs = Map.of("consumer-1", edr("provider-1", false));

        var resumed = freshConsumer(new TransferRegistry<>(), new TransferRegistry<>()).resumeStartedPulls(edrs::get);

        assertThat(resumed).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.completed.contains("consumer-1") || !store.terminated.isEmpty());
        assertThat(store.terminated).isEmpty();
        assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
        assertThat(BulkReceiver.partialFileOf(destination)).doesNotExist();
        // the provider sent only what the partial file did not hold
        assertThat(providerMeters.progress("provider-1")).get().satisfies(progress -> assertThat(progress.bytes()).isEqualTo(SIZE - held));
    }

    @Test
    void shutdown_duringAPull_shouldKeepThePartialFileAndLeaveTheProcessStarted() throws Exception {
        var file = TestContent.file(dir, "source.bin", SIZE, 8);
        var gated = new io.kakehashi.transfer.grpc.bulk.GatedBulkSource(new FileBulkSource(file, "application/octet-stream"), SIZE / 2);
        providerSources.register("provider-8", gated);
        startProvider();
        var destination = dir.resolve("inbox/stopped.bin");
        store.add(process("consumer-8", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PULL, TransferProcessStates.STARTED, "provider-8", destination));
        var consumer = freshConsumer(new TransferRegistry<>(), new TransferRegistry<>());
        consumer.resumeStartedPulls(Map.of("consumer-8", edr("provider-8", false))::get);
        assertThat(gated.awaitReached()).isTrue();
        var partial = BulkReceiver.partialFileOf(destination);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(partial) && Files.size(partial) > 0);

        // the connector shuts down as the extension does: its pulls first, then its channels and threads
        consumer.shutdown();
        channels.close();
        executor.shutdownNow();
        gated.open();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(partial).as("kept for the resume at the next start").exists();
        assertThat(Files.size(partial)).isPositive();
        assertThat(destination).doesNotExist();
        assertThat(store.terminated).isEmpty();
        assertThat(store.completed).isEmpty();
    }

    @Test
    void resumeStartedPulls_whenARecordStreamWasRunning_shouldLoseAndRepeatNoRecord() throws Exception {
        providerStreams.register("provider-5", new RecordStream(new NumberedRecords(), 16L * 1024 * 1024, Clock.systemUTC()));
        startProvider();
        var destination = dir.resolve("inbox/records.jsonl");
        // the consumer had kept 50 records when it was killed (its sink never closed)
        var before = new FileRecordSink(destination, "consumer-5");
        for (var i = 0; i < 50; i++) {
            before.accept(i, ("record-" + i).getBytes(StandardCharsets.UTF_8));
        }
        before.flush();
        store.add(process("consumer-5", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PULL, TransferProcessStates.STARTED, "provider-5", destination));

        var resumed = freshConsumer(new TransferRegistry<>(), new TransferRegistry<>())
                .resumeStartedPulls(Map.of("consumer-5", edr("provider-5", true))::get);

        assertThat(resumed).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readAllLines(destination).size() >= 300);
        providerStreams.terminate("provider-5");
        await().atMost(Duration.ofSeconds(10)).until(() -> FileRecordSink.hasPosition(destination, "consumer-5"));
        var lines = Files.readAllLines(destination);
        for (var i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo("record-" + i);
        }
        assertThat(store.terminated).isEmpty();
    }

    @Test
    void push_whenTheConsumersRegistryIsEmptyAfterARestart_shouldFindTheSinkFromTheProcessAndComplete() throws Exception {
        var file = TestContent.file(dir, "pushed.bin", SIZE, 9);
        var destination = dir.resolve("inbox/pushed.bin");
        var held = 300_000;
        Files.createDirectories(destination.getParent());
        Files.write(BulkReceiver.partialFileOf(destination), java.util.Arrays.copyOf(Files.readAllBytes(file), held));
        store.add(process("consumer-6", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.STARTED, "provider-6", destination));
        var consumer = startConsumerEndpoint();
        var meter = providerMeters.start("provider-6");

        var outcome = new BulkPush(consumerEndpoint.channel(), "consumer-6", () -> tokens.issue("consumer-6"),
                new FileBulkSource(file, null), meter, config, Clock.systemUTC(), monitor).run();

        assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
        assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
        assertThat(meter.snapshot().bytes()).as("resumed from the partial file").isEqualTo(SIZE - held);
        assertThat(consumer).isNotNull();
    }

    @Test
    void pushRecords_whenTheConsumersRegistryIsEmptyAfterARestart_shouldContinueAtTheSinksPosition() throws Exception {
        var destination = dir.resolve("inbox/pushed.jsonl");
        var before = new FileRecordSink(destination, "consumer-7");
        for (var i = 0; i < 20; i++) {
            before.accept(i, ("record-" + i).getBytes(StandardCharsets.UTF_8));
        }
        before.flush();
        store.add(process("consumer-7", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.STARTED, "provider-7", destination));
        startConsumerEndpoint();
        var stream = new RecordStream(new NumberedRecords(), 16L * 1024 * 1024, Clock.systemUTC());
        var push = new RecordPush(consumerEndpoint.channel(), "consumer-7", () -> tokens.issue("consumer-7"), stream,
                providerMeters.stream("provider-7"), config, executor, Clock.systemUTC(), monitor);
        var running = CompletableFuture.supplyAsync(push::run, executor);

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readAllLines(destination).size() >= 200);
        push.stop(Status.CANCELLED.withDescription("done"));
        running.get(10, TimeUnit.SECONDS);

        var lines = Files.readAllLines(destination);
        for (var i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo("record-" + i);
        }
    }

    @Test
    void pushDestination_shouldRefuseWhatIsNotARunningPushOfThisConsumer() {
        store.add(process("c-ok", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.REQUESTED, "p", dir.resolve("a")));
        store.add(process("c-pull", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PULL, TransferProcessStates.STARTED, "p", dir.resolve("b")));
        store.add(process("c-provider", TransferProcess.Type.PROVIDER, GrpcStreamAddresses.PUSH, TransferProcessStates.STARTED, "p", dir.resolve("c")));
        store.add(process("c-suspended", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.SUSPENDED, "p", dir.resolve("d")));
        store.add(process("c-terminated", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.TERMINATED, "p", dir.resolve("e")));
        var consumer = freshConsumer(new TransferRegistry<>(), new TransferRegistry<>());

        assertThat(consumer.pushDestination("c-ok").getContent()).isEqualTo(dir.resolve("a"));
        assertThat(consumer.pushDestination("unknown").getFailure().getReason().name()).isEqualTo("NOT_FOUND");
        assertThat(consumer.pushDestination("c-pull").getFailure().getReason().name()).isEqualTo("NOT_FOUND");
        assertThat(consumer.pushDestination("c-provider").getFailure().getReason().name()).isEqualTo("NOT_FOUND");
        assertThat(consumer.pushDestination("c-suspended").getFailure().getReason().name()).isEqualTo("CONFLICT");
        assertThat(consumer.pushDestination("c-terminated").getFailure().getReason().name()).isEqualTo("CONFLICT");
    }

    @Test
    void terminated_shouldRemoveAPushTransfersPartialFileAndRecordPosition() throws Exception {
        var destination = dir.resolve("inbox/ended.bin");
        Files.createDirectories(destination.getParent());
        Files.write(BulkReceiver.partialFileOf(destination), new byte[1000]);
        new FileRecordSink(destination.resolveSibling("ended.jsonl"), "c-end").close();
        var pushed = process("c-end", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.TERMINATED, "p", destination);
        var records = process("c-end", TransferProcess.Type.CONSUMER, GrpcStreamAddresses.PUSH, TransferProcessStates.TERMINATED, "p",
                destination.resolveSibling("ended.jsonl"));
        var consumer = freshConsumer(new TransferRegistry<>(), new TransferRegistry<>());

        consumer.terminated(pushed);
        consumer.terminated(records);

        assertThat(BulkReceiver.partialFileOf(destination)).doesNotExist();
        assertThat(FileRecordSink.positionFileOf(destination.resolveSibling("ended.jsonl"))).doesNotExist();
        assertThat(destination.resolveSibling("ended.jsonl")).as("the records delivered stay").exists();
    }

    /** The consumer's own endpoint after a restart: its sink registries know only what the loaders find. */
    private GrpcConsumerTransfers startConsumerEndpoint() throws IOException {
        var holder = new GrpcConsumerTransfers[1];
        var bulkSinks = new TransferRegistry<Path>(id -> holder[0].pushDestination(id));
        var recordSinks = new TransferRegistry<RecordSink>(id -> holder[0].pushRecordSink(id));
        holder[0] = freshConsumer(bulkSinks, recordSinks);
        var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
        var meters = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
        consumerEndpoint = new InProcessGrpc(List.of(
                new BulkTransferService(authorization, new TransferRegistry<>(), bulkSinks, meters, config, Clock.systemUTC(), monitor),
                new RecordStreamService(authorization, new TransferRegistry<>(), recordSinks, meters, config, executor, Clock.systemUTC(), monitor)),
                List.of(authorization));
        return holder[0];
    }

    /** A provider's durable source: the n-th record is "record-n", and it can start at any n (as a record file can). */
    private static final class NumberedRecords implements SeekableRecordSource {
        private long next;

        @Override
        public long nextSequence() {
            return next;
        }

        @Override
        public Result<Void> seek(long sequence) {
            next = sequence;
            return Result.success();
        }

        @Override
        public byte[] next(Duration maxWait) {
            return ("record-" + next++).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String contentType() {
            return "text/plain";
        }
    }
}
