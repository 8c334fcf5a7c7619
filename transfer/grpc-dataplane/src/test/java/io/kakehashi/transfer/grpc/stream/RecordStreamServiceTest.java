package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.spi.RecordSource;

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
import io.kakehashi.transfer.grpc.v1.RecordBatch;
import io.kakehashi.transfer.grpc.v1.RecordStreamGrpc;
import io.kakehashi.transfer.grpc.v1.SubscribeRequest;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kakehashi.transfer.grpc.stream.RecordPump.MAX_BATCH_RECORDS;
import static io.kakehashi.transfer.grpc.stream.RecordTestFixtures.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RecordStreamServiceTest {

    /** Covers a few whole batches in flight, so a call that breaks or a stop can resume without loss. */
    private static final long REPLAY_BYTES = 1024 * 1024;

    private final Monitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final TestTokens tokens = new TestTokens();
    private final TransferRegistry<RecordStream> streams = new TransferRegistry<>();
    private final TransferRegistry<RecordSink> sinks = new TransferRegistry<>();
    private final Map<String, TransferLimits> limits = new ConcurrentHashMap<>();
    private final TransferMeters meters = new TransferMeters(id -> limits.getOrDefault(id, TransferLimits.NONE), Clock.systemUTC());
    private GrpcTransferConfig config = GrpcTransferConfig.defaults().withMaxAttempts(3).withRetryBackoff(Duration.ofMillis(10)).withRetryWindow(Duration.ZERO);
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
        streams.register(transferId, new RecordStream(source, REPLAY_BYTES, Clock.systemUTC()));
        return source;
    }

    /** A subscription by hand: every batch as it came and how the call closed; it asks for one batch at a time. */
    private final class RawSubscription {
        final List<RecordBatch> batches = new CopyOnWriteArrayList<>();
        final CompletableFuture<Status> closed = new CompletableFuture<>();
        private final ClientCall<SubscribeRequest, RecordBatch> call;

        RawSubscription(String transferId) {
            this(transferId, 0);
        }

        RawSubscription(String transferId, long fromSequence) {
            call = grpc.channel().newCall(RecordStreamGrpc.getSubscribeMethod(),
                    CallOptions.DEFAULT.withCallCredentials(new BearerToken(() -> tokens.issue(transferId)))
                            .withDeadlineAfter(30, TimeUnit.SECONDS));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(RecordBatch message) {
                    batches.add(message);
                    call.request(1);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.complete(status);
                }
            }, new Metadata());
            call.sendMessage(SubscribeRequest.newBuilder().setTransferId(transferId).setFromSequence(fromSequence).build());
            call.halfClose();
            call.request(1);
        }

        long records() {
            return batches.stream().mapToLong(RecordBatch::getRecordsCount).sum();
        }

        void cancel() {
            call.cancel("test done", null);
        }

        /** What each batch carried (a batch itself prints far too much in a failure). */
        List<BatchShape> shapes() {
            return batches.stream().map(batch -> new BatchShape(batch.getRecordsCount(),
                    batch.getRecordsList().stream().mapToLong(record -> record.getPayload().size()).sum())).toList();
        }

        /** Whether the records of all batches are numbered 0, 1, 2, ... with no gap and no duplicate. */
        boolean isContiguous() {
            var expected = 0L;
            for (var batch : batches) {
                for (var record : batch.getRecordsList()) {
                    if (record.getSequence() != expected++) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private record BatchShape(int records, long payloadBytes) {
    }

    /** Delivers these batches on one PUSH call as a (possibly broken) provider would; answers how the sink ended it. */
    private Status deliver(String transferId, RecordBatch... batches) throws Exception {
        var done = new CompletableFuture<Status>();
        var requests = RecordStreamGrpc.newStub(grpc.channel()).withCallCredentials(new BearerToken(() -> tokens.issue(transferId)))
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .deliver(new io.grpc.stub.StreamObserver<DeliverResult>() {
                    @Override
                    public void onNext(DeliverResult value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(Status.OK);
                    }
                });
        for (var batch : batches) {
            requests.onNext(batch);
        }
        requests.onCompleted();
        return done.get(5, TimeUnit.SECONDS);
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
            cutter = new CallCutter(3, 2);
            start();
            var sink = new CollectingRecordSink();
            var running = subscribe("r3", sink);

            // the two cut calls carry at most 3 batches each: more records than 6 full batches come from a third call
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() > 6 * MAX_BATCH_RECORDS);
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

            await().atMost(Duration.ofSeconds(10)).until(() -> sink.size() >= 100);
            // several deadlines pass: the consumer has to subscribe again to get further
            Thread.sleep(700);
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
            assertThat(meters.progress("r5").orElseThrow().messages()).isEqualTo(25);
        }

        @Test
        void subscribe_whenMessageQuotaFallsInsideABatch_shouldSendTheAdmittedRecordsAndThenEnd() throws Exception {
            // the source always has more: without the quota the first batch would carry MAX_BATCH_RECORDS
            stream("r11");
            limits.put("r11", new TransferLimits(Long.MAX_VALUE, 25));
            start();

            var call = new RawSubscription("r11");

            assertThat(call.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(call.shapes()).hasSize(1);
            assertThat(call.records()).isEqualTo(25);
            assertThat(call.isContiguous()).isTrue();
        }

        @Test
        void run_whenByteQuotaFallsInsideABatch_shouldDeliverExactlyTheAdmittedRecords() throws Exception {
            stream("r12");
            // "record-0".."record-9" are 8 bytes, "record-10".. 9: twelve records make 98 bytes, a thirteenth 107
            limits.put("r12", new TransferLimits(100, Long.MAX_VALUE));
            start();
            var sink = new CollectingRecordSink();

            var outcome = subscribe("r12", sink).await();

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(outcome.status().getDescription()).contains("byte quota of 100");
            assertThat(sink.size()).isEqualTo(12);
            assertThat(sink.isContiguous()).isTrue();
            var sent = meters.progress("r12").orElseThrow();
            assertThat(sent.messages()).as("records, not messages").isEqualTo(12);
            assertThat(sent.bytes()).isEqualTo(98);
            assertThat(outcome.messages()).isEqualTo(12);
            assertThat(outcome.bytes()).isEqualTo(98);
        }

        @Test
        void subscribe_whenTheConsumerSubscribesAgain_shouldKeepCountingTheQuotaOfTheWholeTransfer() throws Exception {
            stream("r14");
            // twelve records make 98 bytes, a thirteenth would make 107 (see r12)
            limits.put("r14", new TransferLimits(100, Long.MAX_VALUE));
            start();

            var first = new RawSubscription("r14", 0);
            assertThat(first.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(first.records()).isEqualTo(12);

            // a new call from where the first stopped must not start the quota over
            var onward = new RawSubscription("r14", 12);
            var ended = onward.closed.get(10, TimeUnit.SECONDS);
            assertThat(ended.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(ended.getDescription()).contains("byte quota of 100");
            assertThat(onward.records()).isZero();

            // records delivered again (a consumer that lost them) were counted once, when they first went
            var again = new RawSubscription("r14", 0);
            assertThat(again.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(again.records()).isEqualTo(12);
            assertThat(again.isContiguous()).isTrue();
            var sent = meters.progress("r14").orElseThrow();
            assertThat(sent.bytes()).isEqualTo(98);
            assertThat(sent.messages()).isEqualTo(12);
        }

        @Test
        void subscribe_whenSourceHasManyRecords_shouldBatchThemWithinTheByteLimit() throws Exception {
            config = config.withStreamBatchBytes(1000);
            streams.register("r9", new RecordStream(new SizedRecordSource(100, 300, 50, 1500, 700, 1), REPLAY_BYTES, Clock.systemUTC()));
            start();

            var call = new RawSubscription("r9");
            await().atMost(Duration.ofSeconds(10)).until(() -> call.records() >= 3000);
            call.cancel();

            var shapes = call.shapes();
            assertThat(shapes).as("batches above the byte limit").filteredOn(shape -> shape.payloadBytes() > 1000 && shape.records() > 1).isEmpty();
            assertThat(shapes).as("the record larger than the limit goes alone").contains(new BatchShape(1, 1500));
            assertThat(shapes).as("several records per message").anyMatch(shape -> shape.records() > 2);
            assertThat(call.isContiguous()).isTrue();
        }

        @Test
        void subscribe_whenSourceHasManySmallRecords_shouldPutAtMostTheRecordLimitIntoOneMessage() throws Exception {
            stream("r13");
            start();

            var call = new RawSubscription("r13");
            await().atMost(Duration.ofSeconds(10)).until(() -> call.records() >= 10L * MAX_BATCH_RECORDS);
            call.cancel();

            var shapes = call.shapes();
            assertThat(shapes).as("batches above the record limit").filteredOn(shape -> shape.records() > MAX_BATCH_RECORDS).isEmpty();
            assertThat(shapes).as("full batches").anyMatch(shape -> shape.records() == MAX_BATCH_RECORDS);
            assertThat(call.isContiguous()).isTrue();
        }

        @Test
        void run_whenSourceHasOneRecordAndThenNothing_shouldDeliverItWithoutWaitingForMore() throws Exception {
            var source = new OneRecordSource();
            streams.register("r10", new RecordStream(source, REPLAY_BYTES, Clock.systemUTC()));
            start();
            var sink = new CollectingRecordSink();
            var running = subscribe("r10", sink);
            try {
                // the source holds any wait for a second record until it is released: a sender that waited for more
                // to fill a batch would hold the first record with it
                await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == 1);
            } finally {
                source.release();
            }
            streams.terminate("r10");

            assertThat(running.await().status().getCode()).isEqualTo(Status.Code.CANCELLED);
            assertThat(sink.isContiguous()).isTrue();
        }

        @Test
        void subscribe_whenClientStopsReading_shouldHoldTheSender() throws Exception {
            var source = stream("r6");
            start();
            var call = grpc.channel().newCall(RecordStreamGrpc.getSubscribeMethod(),
                    CallOptions.DEFAULT.withCallCredentials(new BearerToken(() -> tokens.issue("r6")))
                            .withDeadlineAfter(30, TimeUnit.SECONDS));
            var received = new AtomicInteger();
            var records = new AtomicInteger();
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(RecordBatch message) {
                    received.incrementAndGet();
                    records.addAndGet(message.getRecordsCount());
                }
            }, new Metadata());
            call.sendMessage(SubscribeRequest.newBuilder().setTransferId("r6").build());
            call.halfClose();
            call.request(3);

            await().atMost(Duration.ofSeconds(5)).until(() -> received.get() == 3);
            // at most the batch it could not send yet is taken beyond what was received
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> source.produced() <= records.get() + MAX_BATCH_RECORDS);
            assertThat(received.get()).isEqualTo(3);
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
            var stream = new RecordStream(new CountingRecordSource(), REPLAY_BYTES, Clock.systemUTC());
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
            var stream = new RecordStream(new CountingRecordSource(), REPLAY_BYTES, Clock.systemUTC());
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

            var status = deliver("p3", batch("p3", 5));

            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(sink.size()).isZero();
        }

        @Test
        void deliver_whenBatchHasAGapInside_shouldRefuseTheWholeBatch() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p4", sink);
            start();

            var status = deliver("p4", batch("p4", 0, 1, 3, 4));

            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("record 3 arrived", "2 expected");
            assertThat(sink.size()).as("nothing of the refused batch is kept").isZero();
        }

        @Test
        void deliver_whenBatchHasADuplicateInside_shouldRefuseTheWholeBatch() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p5", sink);
            start();

            var status = deliver("p5", batch("p5", 0, 1), batch(null, 2, 3, 3, 4));

            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(sink.payloads).containsExactly("record-0", "record-1");
        }

        @Test
        void deliver_whenBatchRepeatsRecordsOfTheOneBefore_shouldBeRefused() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p6", sink);
            start();

            var status = deliver("p6", batch("p6", 0, 1, 2), batch(null, 2, 3));

            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("record 2 arrived", "3 expected");
            assertThat(sink.payloads).containsExactly("record-0", "record-1", "record-2");
        }

        @Test
        void deliver_whenBatchesContinueEachOther_shouldKeepEveryRecord() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p7", sink);
            start();

            var status = deliver("p7", batch("p7", 0, 1, 2), batch(null, 3), batch(null, 4, 5));

            assertThat(status.isOk()).isTrue();
            assertThat(sink.size()).isEqualTo(6);
            assertThat(sink.isContiguous()).isTrue();
        }

        @Test
        void deliver_whenBatchIsEmpty_shouldBeRefused() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p8", sink);
            start();

            var status = deliver("p8", RecordBatch.getDefaultInstance());

            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(sink.size()).isZero();
        }

        @Test
        void run_whenQuotaFallsInsideABatch_shouldDeliverExactlyTheAdmittedRecords() throws Exception {
            var sink = new CollectingRecordSink();
            sinks.register("p9", sink);
            limits.put("p9", new TransferLimits(Long.MAX_VALUE, 25));
            start();
            var stream = new RecordStream(new CountingRecordSource(), REPLAY_BYTES, Clock.systemUTC());
            var push = pusher("p9", stream);

            var outcome = push.run();

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(outcome.status().getDescription()).contains("message quota of 25");
            assertThat(outcome.messages()).isEqualTo(25);
            assertThat(sink.size()).as("the sink keeps every admitted record, the last batch too").isEqualTo(25);
            assertThat(sink.isContiguous()).isTrue();
        }
    }

    /** Payloads of the given sizes in turn, always at hand. */
    private static final class SizedRecordSource implements RecordSource {
        private final int[] sizes;
        private long produced;

        SizedRecordSource(int... sizes) {
            this.sizes = sizes;
        }

        @Override
        public byte[] next(Duration maxWait) {
            return new byte[sizes[(int) (produced++ % sizes.length)]];
        }

        @Override
        public String contentType() {
            return "application/octet-stream";
        }
    }

    /**
     * "record-0", and then nothing: a wait for a further record is held until {@link #release()} (longer than asked,
     * on purpose), and after the release each wait takes its full time. Asked not to wait, it answers at once.
     */
    private static final class OneRecordSource implements RecordSource {
        private final CountDownLatch released = new CountDownLatch(1);
        private boolean given;

        @Override
        public byte[] next(Duration maxWait) throws InterruptedException {
            if (!given) {
                given = true;
                return "record-0".getBytes(StandardCharsets.UTF_8);
            }
            if (maxWait.isZero()) {
                return null;
            }
            if (released.getCount() > 0) {
                released.await();
            } else {
                Thread.sleep(maxWait.toMillis());
            }
            return null;
        }

        void release() {
            released.countDown();
        }

        @Override
        public String contentType() {
            return "text/plain";
        }
    }
}
