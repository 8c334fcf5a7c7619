package io.kakehashi.transfer.grpc.stream;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.kakehashi.transfer.grpc.CallCutter;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.InProcessGrpc;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.BearerToken;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.v1.DeliverResult;
import io.kakehashi.transfer.grpc.v1.Record;
import io.kakehashi.transfer.grpc.v1.RecordStreamGrpc;
import io.kakehashi.transfer.grpc.v1.SubscribeRequest;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RecordStreamServiceTest {

    private final Monitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final TestTokens tokens = new TestTokens();
    private final TransferRegistry<RecordStream> streams = new TransferRegistry<>();
    private final TransferRegistry<RecordSink> sinks = new TransferRegistry<>();
    private final Map<String, TransferLimits> limits = new ConcurrentHashMap<>();
    private final TransferMeters meters = new TransferMeters(id -> limits.getOrDefault(id, TransferLimits.NONE), Clock.systemUTC());
    private final GrpcTransferConfig config = GrpcTransferConfig.defaults().withMaxAttempts(3).withRetryBackoff(Duration.ofMillis(10));
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private CallCutter cutter = CallCutter.none();
    private InProcessGrpc grpc;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (grpc != null) {
            grpc.close();
        }
        executor.shutdownNow();
    }

    private void start() throws IOException {
        var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
        var service = new RecordStreamService(authorization, streams, sinks, meters, config, executor, Clock.systemUTC(), monitor);
        grpc = new InProcessGrpc(List.of(service), List.of(cutter, authorization));
    }

    private CountingRecordSource stream(String transferId) {
        var source = new CountingRecordSource();
        streams.register(transferId, new RecordStream(source, 4096, Clock.systemUTC()));
        return source;
    }

    private Running subscribe(String transferId, CollectingRecordSink sink) {
        var subscription = new RecordSubscription(grpc.channel(), transferId, () -> tokens.issue(transferId), sink, config, monitor);
        return new Running(subscription, CompletableFuture.supplyAsync(subscription::run, executor));
    }

    private record Running(RecordSubscription subscription, CompletableFuture<TransferOutcome> outcome) {
        TransferOutcome await() throws Exception {
            return outcome.get(10, TimeUnit.SECONDS);
        }
    }

    @Nested
    class Pull {

        @Test
        void run_whenSuspendedAndResumed_shouldContinueWithNoLossAndNoDuplicate() throws Exception {
            stream("r1");
            start();
            var sink = new CollectingRecordSink();
            var first = subscribe("r1", sink);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 200);

            streams.suspend("r1");

            var suspended = first.await();
            assertThat(suspended.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            var atSuspend = sink.size();
            // while suspended nothing is delivered and a new subscription is refused
            var refused = subscribe("r1", sink).await();
            assertThat(refused.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(sink.size()).isEqualTo(atSuspend);

            streams.resume("r1");
            var second = subscribe("r1", sink);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= atSuspend + 200);
            streams.terminate("r1");

            assertThat(second.await().status().getCode()).isEqualTo(Status.Code.CANCELLED);
            assertThat(sink.isContiguous()).as("in order, no loss, no duplicate").isTrue();
        }

        @Test
        void run_whenTerminated_shouldCloseAndDeliverNothingAfterwards() throws Exception {
            var source = stream("r2");
            start();
            var sink = new CollectingRecordSink();
            var running = subscribe("r2", sink);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 50);

            streams.terminate("r2");

            assertThat(running.await().status().getCode()).isEqualTo(Status.Code.CANCELLED);
            var atEnd = sink.size();
            var producedAtEnd = source.produced();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> sink.size() == atEnd);
            assertThat(source.produced()).isEqualTo(producedAtEnd);
            assertThat(subscribe("r2", sink).await().status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(sink.isContiguous()).isTrue();
        }

        @Test
        void run_whenConnectionDrops_shouldResubscribeWithNoLossAndNoDuplicate() throws Exception {
            stream("r3");
            cutter = new CallCutter(30, 2);
            start();
            var sink = new CollectingRecordSink();
            var running = subscribe("r3", sink);

            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 150);
            streams.terminate("r3");

            var outcome = running.await();
            assertThat(outcome.attempts()).isEqualTo(3);
            assertThat(sink.isContiguous()).isTrue();
        }

        @Test
        void run_whenCallReachesItsDeadline_shouldResubscribeSeamlessly() throws Exception {
            stream("r4");
            start();
            var sink = new CollectingRecordSink();
            var shortCalls = config.withStreamDeadline(Duration.ofMillis(200));
            var subscription = new RecordSubscription(grpc.channel(), "r4", () -> tokens.issue("r4"), sink, shortCalls, monitor);
            var running = CompletableFuture.supplyAsync(subscription::run, executor);

            await().atMost(Duration.ofSeconds(10)).until(() -> meters.progress("r4").isPresent() && sink.size() >= 100);
            var firstCall = meters.progress("r4").orElseThrow().startedAt();
            // each call starts a fresh meter: a later start means the consumer re-subscribed after the deadline
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.progress("r4").orElseThrow().startedAt().isAfter(firstCall));
            var atResubscribe = sink.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() > atResubscribe + 50);
            subscription.stop(Status.CANCELLED.withDescription("consumer ended"));

            assertThat(running.get(10, TimeUnit.SECONDS).attempts()).isGreaterThan(1);
            assertThat(sink.isContiguous()).isTrue();
        }

        @Test
        void run_whenMessageQuotaReached_shouldEndWithResourceExhausted() throws Exception {
            stream("r5");
            limits.put("r5", new TransferLimits(Long.MAX_VALUE, 25));
            start();
            var sink = new CollectingRecordSink();

            var outcome = subscribe("r5", sink).await();

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(outcome.status().getDescription()).contains("message quota of 25");
            assertThat(sink.size()).isEqualTo(25);
        }

        @Test
        void subscribe_whenClientStopsReading_shouldHoldTheSender() throws Exception {
            var source = stream("r6");
            start();
            var call = grpc.channel().newCall(RecordStreamGrpc.getSubscribeMethod(),
                    CallOptions.DEFAULT.withCallCredentials(new BearerToken(() -> tokens.issue("r6")))
                            .withDeadlineAfter(30, TimeUnit.SECONDS));
            var received = new AtomicInteger();
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(Record message) {
                    received.incrementAndGet();
                }
            }, new Metadata());
            call.sendMessage(SubscribeRequest.newBuilder().setTransferId("r6").build());
            call.halfClose();
            call.request(3);

            await().atMost(Duration.ofSeconds(5)).until(() -> received.get() == 3);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> source.produced() <= 5);
            call.cancel("test done", null);
        }

        @Test
        void subscribe_whenTokenForAnotherTransfer_shouldBePermissionDenied() throws Exception {
            stream("r7");
            start();
            var subscription = new RecordSubscription(grpc.channel(), "r7", () -> tokens.issue("other"),
                    new CollectingRecordSink(), config, monitor);
            assertThat(subscription.run().status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }

        @Test
        void subscribe_whenTransferUnknown_shouldBeNotFound() throws Exception {
            start();
            assertThat(subscribe("unknown", new CollectingRecordSink()).await().status().getCode())
                    .isEqualTo(Status.Code.NOT_FOUND);
        }

        @Test
        void subscribe_whenTokenMissing_shouldBeUnauthenticated() throws Exception {
            stream("r8");
            start();
            var subscription = new RecordSubscription(grpc.channel(), "r8", () -> null, new CollectingRecordSink(), config, monitor);
            assertThat(subscription.run().status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    @Nested
    class Push {

        private RecordPush pusher(String transferId, RecordStream stream) {
            return new RecordPush(grpc.channel(), transferId, () -> tokens.issue(transferId), stream,
                    meters.start(transferId), config, executor, Clock.systemUTC(), monitor);
        }

        @Test
        void run_whenSuspendedAndResumed_shouldContinueWithNoLossAndNoDuplicate() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p1", sink);
            start();
            var stream = new RecordStream(new CountingRecordSource(), 4096, Clock.systemUTC());
            var first = pusher("p1", stream);
            var running = CompletableFuture.supplyAsync(first::run, executor);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 200);

            first.stop(Status.FAILED_PRECONDITION.withDescription("suspended"));
            assertThat(running.get(10, TimeUnit.SECONDS).status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            var atSuspend = io.kakehashi.transfer.grpc.Awaits.stable(() -> (long) sink.size());

            var second = pusher("p1", stream);
            var resumed = CompletableFuture.supplyAsync(second::run, executor);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= atSuspend + 200);
            second.stop(Status.CANCELLED.withDescription("terminated"));

            assertThat(resumed.get(10, TimeUnit.SECONDS).status().getCode()).isEqualTo(Status.Code.CANCELLED);
            assertThat(sink.isContiguous()).isTrue();
        }

        @Test
        void run_whenSinkTerminated_shouldRefuseWhatTheProviderStillSends() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p2", sink);
            start();
            var stream = new RecordStream(new CountingRecordSource(), 4096, Clock.systemUTC());
            var running = CompletableFuture.supplyAsync(pusher("p2", stream)::run, executor);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 50);

            sinks.terminate("p2");

            assertThat(running.get(10, TimeUnit.SECONDS).succeeded()).isFalse();
            var atEnd = io.kakehashi.transfer.grpc.Awaits.stable(() -> (long) sink.size());
            assertThat(pusher("p2", stream).run().status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(sink.size()).isEqualTo(atEnd);
        }

        @Test
        void deliver_whenSequenceSkipsAhead_shouldBeRefusedAndNothingKept() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p3", sink);
            start();
            var status = new AtomicReference<Status>();
            var done = new CompletableFuture<Void>();
            var requests = RecordStreamGrpc.newStub(grpc.channel()).withCallCredentials(new BearerToken(() -> tokens.issue("p3")))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .deliver(new io.grpc.stub.StreamObserver<DeliverResult>() {
                        @Override
                        public void onNext(DeliverResult value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            status.set(Status.fromThrowable(t));
                            done.complete(null);
                        }

                        @Override
                        public void onCompleted() {
                            status.set(Status.OK);
                            done.complete(null);
                        }
                    });
            requests.onNext(Record.newBuilder().setTransferId("p3").setSequence(5)
                    .setPayload(com.google.protobuf.ByteString.copyFromUtf8("record-5")).build());
            requests.onCompleted();
            done.get(5, TimeUnit.SECONDS);

            assertThat(status.get().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(sink.size()).isZero();
        }
    }
}
