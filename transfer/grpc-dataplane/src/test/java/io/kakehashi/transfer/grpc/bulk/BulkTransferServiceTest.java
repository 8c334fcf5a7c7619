package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kakehashi.transfer.grpc.CallCutter;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.InProcessGrpc;
import io.kakehashi.transfer.grpc.TestContent;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.BearerToken;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.v1.BulkMessage;
import io.kakehashi.transfer.grpc.v1.BulkTransferGrpc;
import io.kakehashi.transfer.grpc.v1.Chunk;
import io.kakehashi.transfer.grpc.v1.OffsetRequest;
import io.kakehashi.transfer.grpc.v1.ReadRequest;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BulkTransferServiceTest {

    private static final int CHUNK = 64 * 1024;
    private static final long SIZE = 3L * 1024 * 1024 + 12345;

    @TempDir
    Path dir;

    private final Monitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final TestTokens tokens = new TestTokens();
    private final TransferRegistry<BulkSource> sources = new TransferRegistry<>();
    private final TransferRegistry<Path> sinks = new TransferRegistry<>();
    private final Map<String, TransferLimits> limits = new ConcurrentHashMap<>();
    private final TransferMeters meters = new TransferMeters(id -> limits.getOrDefault(id, TransferLimits.NONE), Clock.systemUTC());
    private final GrpcTransferConfig config = GrpcTransferConfig.defaults().withChunkSize(CHUNK)
            .withMaxAttempts(3).withRetryBackoff(Duration.ofMillis(10)).withRetryWindow(Duration.ZERO);
    private CallCutter cutter = CallCutter.none();
    private InProcessGrpc grpc;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (grpc != null) {
            grpc.close();
        }
    }

    private InProcessGrpc start() throws IOException {
        var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
        var service = new BulkTransferService(authorization, sources, sinks, meters, config, Clock.systemUTC(), monitor);
        grpc = new InProcessGrpc(List.of(service), List.of(cutter, authorization));
        return grpc;
    }

    private Path source(String transferId) throws IOException {
        var file = TestContent.file(dir, "source-" + transferId, SIZE, transferId.hashCode());
        sources.register(transferId, new FileBulkSource(file, "application/octet-stream"));
        return file;
    }

    private TransferOutcome pull(String transferId, String token, Path destination) {
        return new BulkPull(grpc.channel(), transferId, () -> token, destination, config, monitor).run();
    }

    private static void assertNothingLeft(Path destination) {
        assertThat(destination).doesNotExist();
        assertThat(BulkReceiver.partialFileOf(destination)).doesNotExist();
    }

    @Nested
    class Pull {

        @Test
        void run_whenSourceSpansManyChunks_shouldWriteIdenticalFile() throws Exception {
            var file = source("t1");
            start();
            var destination = dir.resolve("out/t1.bin");

            var outcome = pull("t1", tokens.issue("t1"), destination);

            assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
            assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file)).isEqualTo(outcome.sha256Hex());
            assertThat(outcome.bytes()).isEqualTo(SIZE);
            assertThat(BulkReceiver.partialFileOf(destination)).doesNotExist();
            assertThat(meters.progress("t1")).get().satisfies(progress -> {
                assertThat(progress.percentage()).isEqualTo(100.0);
                assertThat(progress.messages()).isEqualTo((SIZE + CHUNK - 1) / CHUNK);
            });
        }

        @Test
        void run_whenConnectionDropsMidTransfer_shouldResumeFromDurableOffsetAndBeIdentical() throws Exception {
            var file = source("t2");
            cutter = new CallCutter(20, 1);
            start();
            var destination = dir.resolve("t2.bin");

            var outcome = pull("t2", tokens.issue("t2"), destination);

            assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
            assertThat(outcome.attempts()).isEqualTo(2);
            assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
            // the second call started where the first left off, so it moved less than the whole file
            assertThat(meters.progress("t2")).get().satisfies(progress -> assertThat(progress.bytes()).isLessThan(SIZE));
        }

        @Test
        void run_whenResumed_shouldHashThePrefixFromTheNearestKeptStateNotFromZero() throws Exception {
            var file = TestContent.file(dir, "source-t9", SIZE, 99);
            var opened = new java.util.concurrent.CopyOnWriteArrayList<Long>();
            var read = new java.util.concurrent.atomic.AtomicLong();
            var plain = new FileBulkSource(file, "application/octet-stream");
            sources.register("t9", new BulkSource() {
                @Override
                public long size() {
                    return plain.size();
                }

                @Override
                public String contentType() {
                    return plain.contentType();
                }

                @Override
                public java.io.InputStream openAt(long offset) throws IOException {
                    opened.add(offset);
                    return new java.io.FilterInputStream(plain.openAt(offset)) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            var n = super.read(b, off, len);
                            if (n > 0) {
                                read.addAndGet(n);
                            }
                            return n;
                        }
                    };
                }
            });
            // the first call is cut after about 2.4 MiB
            cutter = new CallCutter(40, 1);
            start();
            var destination = dir.resolve("t9.bin");

            var outcome = pull("t9", tokens.issue("t9"), destination);

            assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
            assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
            // the resumed call read the source from a kept state (a MiB boundary), not from 0
            assertThat(opened).hasSizeGreaterThanOrEqualTo(3).startsWith(0L);
            assertThat(opened.subList(1, opened.size())).doesNotContain(0L);
            assertThat(read.get()).isLessThan(SIZE + 1024 * 1024 + CHUNK);
        }

        @Test
        void run_whenTheSourceTimesOutMidRead_shouldResumeFromTheDurableOffset() throws Exception {
            var file = TestContent.file(dir, "source-t10", SIZE, 10);
            var plain = new FileBulkSource(file, "application/octet-stream");
            var opens = new java.util.concurrent.atomic.AtomicInteger();
            sources.register("t10", failingOnce(plain, opens, new java.net.SocketTimeoutException("Read timed out")));
            start();
            var destination = dir.resolve("t10.bin");

            var outcome = pull("t10", tokens.issue("t10"), destination);

            assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
            assertThat(outcome.attempts()).isEqualTo(2);
            assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
        }

        @Test
        void run_whenTheSourceFailsForGood_shouldEndWithoutRetrying() throws Exception {
            var file = TestContent.file(dir, "source-t11", SIZE, 11);
            var plain = new FileBulkSource(file, "application/octet-stream");
            sources.register("t11", failingOnce(plain, new java.util.concurrent.atomic.AtomicInteger(),
                    new IOException("the source answered HTTP 404")));
            start();
            var destination = dir.resolve("t11.bin");

            var outcome = pull("t11", tokens.issue("t11"), destination);

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.INTERNAL);
            assertThat(outcome.status().getDescription()).contains("HTTP 404");
            assertThat(outcome.attempts()).isEqualTo(1);
        }

        /** A source whose first opened stream fails with {@code failure} after about 1 MiB; later ones read through. */
        private BulkSource failingOnce(BulkSource plain, java.util.concurrent.atomic.AtomicInteger opens, IOException failure) {
            return new BulkSource() {
                @Override
                public long size() {
                    return plain.size();
                }

                @Override
                public String contentType() {
                    return plain.contentType();
                }

                @Override
                public java.io.InputStream openAt(long offset) throws IOException {
                    var first = opens.getAndIncrement() == 0;
                    var read = new java.util.concurrent.atomic.AtomicLong();
                    return new java.io.FilterInputStream(plain.openAt(offset)) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (first && read.get() >= 1024 * 1024) {
                                throw failure;
                            }
                            var n = super.read(b, off, len);
                            if (n > 0) {
                                read.addAndGet(n);
                            }
                            return n;
                        }
                    };
                }
            };
        }

        @Test
        void run_whenEveryAttemptIsCutBeforeAnyData_shouldFailAndLeaveNoFile() throws Exception {
            source("t3");
            // cut before the header: no call makes progress, so the transfer gives up after its attempts
            cutter = new CallCutter(0, 100);
            start();
            var destination = dir.resolve("t3.bin");

            var outcome = pull("t3", tokens.issue("t3"), destination);

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(outcome.attempts()).isEqualTo(3);
            assertNothingLeft(destination);
        }

        @Test
        void run_whenChunkCorruptedOnTheWay_shouldFailWithDataLossAndLeaveNoFile() throws Exception {
            source("t4");
            cutter = CallCutter.none();
            cutter.tamper(message -> {
                if (message instanceof BulkMessage bulk && bulk.hasChunk() && bulk.getChunk().getSequence() == 5) {
                    var data = bulk.getChunk().getData().toByteArray();
                    data[17] ^= 0x01;
                    return BulkMessage.newBuilder().setChunk(Chunk.newBuilder(bulk.getChunk())
                            .setData(com.google.protobuf.ByteString.copyFrom(data))).build();
                }
                return message;
            });
            start();
            var destination = dir.resolve("t4.bin");

            var outcome = pull("t4", tokens.issue("t4"), destination);

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.DATA_LOSS);
            assertThat(outcome.status().getDescription()).contains("checksum mismatch");
            assertNothingLeft(destination);
        }

        @Test
        void run_whenQuotaSmallerThanContent_shouldEndWithResourceExhaustedAndLeaveNoFile() throws Exception {
            source("t5");
            limits.put("t5", new TransferLimits(SIZE / 2, Long.MAX_VALUE));
            start();
            var destination = dir.resolve("t5.bin");

            var outcome = pull("t5", tokens.issue("t5"), destination);

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(outcome.status().getDescription()).contains("byte quota");
            assertNothingLeft(destination);
        }

        @Test
        void run_whenMessageQuotaReached_shouldEndWithResourceExhausted() throws Exception {
            source("t6");
            limits.put("t6", new TransferLimits(Long.MAX_VALUE, 3));
            start();

            var outcome = pull("t6", tokens.issue("t6"), dir.resolve("t6.bin"));

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(outcome.status().getDescription()).contains("message quota of 3");
        }

        @Test
        void read_whenClientStopsReading_shouldHoldTheSenderWithoutBuffering() throws Exception {
            source("t7");
            start();
            var call = grpc.channel().newCall(BulkTransferGrpc.getReadMethod(),
                    io.grpc.CallOptions.DEFAULT.withCallCredentials(new BearerToken(() -> tokens.issue("t7")))
                            .withDeadlineAfter(30, TimeUnit.SECONDS));
            var received = new java.util.concurrent.atomic.AtomicInteger();
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(BulkMessage message) {
                    received.incrementAndGet();
                }
            }, new Metadata());
            call.sendMessage(ReadRequest.newBuilder().setTransferId("t7").build());
            call.halfClose();
            call.request(2);

            await().atMost(Duration.ofSeconds(5)).until(() -> received.get() == 2);
            // the reader asks for nothing more: the sender must stay a few chunks ahead at most
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(
                    () -> meters.progress("t7").map(p -> p.messages() <= 4).orElse(true));
            call.cancel("test done", null);
        }

        @Test
        void run_whenSuspendedMidTransfer_shouldStopAndKeepPartialForResume() throws Exception {
            var file = TestContent.file(dir, "source-t8", SIZE, 8);
            var gated = new GatedBulkSource(new FileBulkSource(file, null), 10L * CHUNK);
            sources.register("t8", gated);
            start();
            var destination = dir.resolve("t8.bin");
            var token = tokens.issue("t8");
            var running = CompletableFuture.supplyAsync(() -> pull("t8", token, destination));
            assertThat(gated.awaitReached()).isTrue();

            CompletableFuture.runAsync(() -> sources.suspend("t8"));
            gated.open();
            var outcome = running.get(10, TimeUnit.SECONDS);

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(destination).doesNotExist();
            assertThat(BulkReceiver.partialFileOf(destination)).exists();

            sources.resume("t8");
            var resumed = pull("t8", token, destination);
            assertThat(resumed.succeeded()).as(resumed.describe()).isTrue();
            assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
        }

        @Test
        void run_whenTerminatedMidTransfer_shouldEndAndLeaveNoFile() throws Exception {
            var file = TestContent.file(dir, "source-t9", SIZE, 9);
            var gated = new GatedBulkSource(new FileBulkSource(file, null), 10L * CHUNK);
            sources.register("t9", gated);
            start();
            var destination = dir.resolve("t9.bin");
            var running = CompletableFuture.supplyAsync(() -> pull("t9", tokens.issue("t9"), destination));
            assertThat(gated.awaitReached()).isTrue();

            // terminated before the source may go on: the call must end CANCELLED, whatever the scheduling
            sources.terminate("t9");
            gated.open();
            var outcome = running.get(10, TimeUnit.SECONDS);

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.CANCELLED);
            assertNothingLeft(destination);
            assertThat(pull("t9", tokens.issue("t9"), destination).status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        }

        @Test
        void run_whenTokenRevokedMidStream_shouldEndUnauthenticated() throws Exception {
            var file = TestContent.file(dir, "source-t10", SIZE, 10);
            var gated = new GatedBulkSource(new FileBulkSource(file, null), 10L * CHUNK);
            sources.register("t10", gated);
            grpc = null;
            var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
            var service = new BulkTransferService(authorization, sources, sinks, meters,
                    config.withTokenRecheck(Duration.ZERO), Clock.systemUTC(), monitor);
            grpc = new InProcessGrpc(List.of(service), List.of(authorization));
            var token = tokens.issue("t10");
            var destination = dir.resolve("t10.bin");
            var running = CompletableFuture.supplyAsync(() -> pull("t10", token, destination));
            assertThat(gated.awaitReached()).isTrue();

            tokens.revoke(token);
            gated.open();

            var outcome = running.get(10, TimeUnit.SECONDS);
            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertNothingLeft(destination);
        }
    }

    @Nested
    class Access {

        private StatusRuntimeException readWith(String transferId, String token) {
            var stub = BulkTransferGrpc.newBlockingStub(grpc.channel()).withDeadlineAfter(5, TimeUnit.SECONDS);
            if (token != null) {
                stub = stub.withCallCredentials(new BearerToken(() -> token));
            }
            var finalStub = stub;
            try {
                finalStub.read(ReadRequest.newBuilder().setTransferId(transferId).build()).forEachRemaining(m -> { });
            } catch (StatusRuntimeException e) {
                return e;
            }
            throw new AssertionError("the call succeeded");
        }

        @Test
        void read_whenTokenMissing_shouldBeUnauthenticated() throws Exception {
            source("a1");
            start();
            assertThat(readWith("a1", null).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }

        @Test
        void read_whenTokenForged_shouldBeUnauthenticated() throws Exception {
            source("a1");
            start();
            var forged = new TestTokens().issue("a1");
            assertThat(readWith("a1", forged).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(readWith("a1", "garbage").getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }

        @Test
        void read_whenTokenExpired_shouldBeUnauthenticated() throws Exception {
            source("a1");
            start();
            var expired = tokens.issue("a1", "agreement", Instant.now().minusSeconds(1));
            var failure = readWith("a1", expired);
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(failure.getStatus().getDescription()).contains("expired");
        }

        @Test
        void read_whenTokenForAnotherTransfer_shouldBePermissionDenied() throws Exception {
            source("a1");
            source("a2");
            start();
            assertThat(readWith("a1", tokens.issue("a2")).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }

        @Test
        void read_whenTransferUnknown_shouldBeNotFound() throws Exception {
            start();
            assertThat(readWith("nope", tokens.issue("nope")).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }

        @Test
        void read_whenOffsetPastTheEnd_shouldBeOutOfRange() throws Exception {
            source("a3");
            start();
            var stub = BulkTransferGrpc.newBlockingStub(grpc.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .withCallCredentials(new BearerToken(() -> tokens.issue("a3")));
            assertThatThrownBy(() -> stub.read(ReadRequest.newBuilder().setTransferId("a3").setOffset(SIZE + 1).build())
                    .forEachRemaining(m -> { }))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE));
        }

        @Test
        void offset_whenTokenForAnotherTransfer_shouldBePermissionDenied() throws Exception {
            sinks.register("s1", dir.resolve("s1.bin"));
            start();
            var stub = BulkTransferGrpc.newBlockingStub(grpc.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .withCallCredentials(new BearerToken(() -> tokens.issue("s2")));
            assertThatThrownBy(() -> stub.offset(OffsetRequest.newBuilder().setTransferId("s1").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
    }

    @Nested
    class Push {

        private TransferOutcome push(String transferId, BulkSource source) {
            return new BulkPush(grpc.channel(), transferId, () -> tokens.issue(transferId), source,
                    meters.start(transferId), config, Clock.systemUTC(), monitor).run();
        }

        @Test
        void run_whenSinkRegistered_shouldDeliverIdenticalFile() throws Exception {
            var file = TestContent.file(dir, "push-source", SIZE, 21);
            var destination = dir.resolve("sink/p1.bin");
            sinks.register("p1", destination);
            start();

            var outcome = push("p1", new FileBulkSource(file, null));

            assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
            assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file)).isEqualTo(outcome.sha256Hex());
        }

        @Test
        void run_whenConnectionDropsMidTransfer_shouldResumeAndBeIdentical() throws Exception {
            var file = TestContent.file(dir, "push-source", SIZE, 22);
            var destination = dir.resolve("p2.bin");
            sinks.register("p2", destination);
            // the first two calls are Offset (one message) and Write, which is cut
            cutter = new CallCutter(15, 2);
            start();

            var outcome = push("p2", new FileBulkSource(file, null));

            assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
            assertThat(outcome.attempts()).isEqualTo(2);
            assertThat(TestContent.sha256(destination)).isEqualTo(TestContent.sha256(file));
        }

        @Test
        void run_whenSinkUnknown_shouldFailNotFound() throws Exception {
            start();
            var file = TestContent.file(dir, "push-source", 1000, 23);

            var outcome = push("p3", new FileBulkSource(file, null));

            assertThat(outcome.status().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }

        @Test
        void run_whenSinkTerminatedMidTransfer_shouldRefuseFurtherDataAndLeaveNoFile() throws Exception {
            var file = TestContent.file(dir, "push-source", SIZE, 24);
            var gated = new GatedBulkSource(new FileBulkSource(file, null), 10L * CHUNK);
            var destination = dir.resolve("p4.bin");
            sinks.register("p4", destination);
            start();
            var running = CompletableFuture.supplyAsync(() -> push("p4", gated));
            assertThat(gated.awaitReached()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(BulkReceiver.partialFileOf(destination)));

            sinks.terminate("p4");
            gated.open();
            var outcome = running.get(10, TimeUnit.SECONDS);

            assertThat(outcome.succeeded()).isFalse();
            assertNothingLeft(destination);
            // the peer keeps sending after TERMINATE: refused, nothing written
            var again = push("p4", new FileBulkSource(file, null));
            assertThat(again.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertNothingLeft(destination);
        }
    }
}
