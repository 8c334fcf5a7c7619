package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.ResumeLoop;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.auth.BearerToken;
import io.kakehashi.transfer.grpc.meter.TransferMeter;
import io.kakehashi.transfer.grpc.v1.BulkMessage;
import io.kakehashi.transfer.grpc.v1.BulkTransferGrpc;
import io.kakehashi.transfer.grpc.v1.OffsetRequest;
import io.kakehashi.transfer.grpc.v1.WriteResult;
import org.eclipse.edc.spi.monitor.Monitor;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A provider pushing one bulk source to a consumer's sink. Each attempt asks the sink for its offset, then
 * streams from there with a {@link ChunkPump} driven by the call's on-ready handler (flow control); the
 * sink's answer tells the checked size and SHA-256. Dropped connections and a sink that restarts are retried by
 * the {@link ResumeLoop}. {@link #run()} runs once on one thread; {@link #stop(Status)} may be called from any other.
 */
public final class BulkPush {

    private final Channel channel;
    private final String transferId;
    private final Supplier<String> token;
    private final BulkSource source;
    private final TransferMeter meter;
    private final GrpcTransferConfig config;
    private final Clock clock;
    private final Monitor monitor;
    private volatile ChunkPump current;
    private volatile Status stopped;
    private final ResumeLoop loop;
    private final PrefixDigests digests = new PrefixDigests();

    public BulkPush(Channel channel, String transferId, Supplier<String> token, BulkSource source, TransferMeter meter,
                    GrpcTransferConfig config, Clock clock, Monitor monitor) {
        this.channel = channel;
        this.transferId = transferId;
        this.token = token;
        this.source = source;
        this.meter = meter;
        this.config = config;
        this.clock = clock;
        this.monitor = monitor;
        this.loop = new ResumeLoop("bulk push of " + transferId, config, monitor);
    }

    /** Pushes the source to its end; answers how it ended. */
    public TransferOutcome run() {
        var written = new WriteResult[1];
        var ending = loop.run(attempt -> {
            var result = pushOnce();
            written[0] = result.written;
            return result.status;
        }, () -> meter.snapshot().bytes());
        if (ending.status().isOk()) {
            meter.state("COMPLETED");
            return new TransferOutcome(Status.OK, written[0].getTotalSize(), 0, written[0].getSha256().toByteArray(), ending.attempts());
        }
        meter.state(ending.status().getCode() == Status.Code.FAILED_PRECONDITION ? "SUSPENDED" : "FAILED");
        return new TransferOutcome(ending.status(), 0, 0, null, ending.attempts());
    }

    /** Ends the running call with {@code status}; no further attempt starts. */
    public void stop(Status status) {
        stopped = status;
        loop.stop(status);
        var pump = current;
        if (pump != null) {
            pump.stop(status);
        }
    }

    private Attempt pushOnce() {
        var credentials = new BearerToken(token);
        long offset;
        try {
            offset = BulkTransferGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                    .withDeadlineAfter(config.unaryDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .offset(OffsetRequest.newBuilder().setTransferId(transferId).build()).getOffset();
        } catch (StatusRuntimeException e) {
            return new Attempt(e.getStatus(), null);
        }
        var answer = new CompletableFuture<WriteResult>();
        var ended = new CompletableFuture<Status>();
        BulkTransferGrpc.newStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(config.bulkDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .withOnReadyThreshold(BulkTransferService.ON_READY_CHUNKS * config.chunkSize())
                .write(new ClientResponseObserver<BulkMessage, WriteResult>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<BulkMessage> requests) {
                        // the provider checks its own token-free side; the consumer re-checks ours
                        var pump = new ChunkPump(transferId, source, offset, config.chunkSize(), requests, meter,
                                () -> null, config.tokenRecheck(), clock, ended::complete, digests);
                        current = pump;
                        requests.setOnReadyHandler(pump);
                    }

                    @Override
                    public void onNext(WriteResult value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        var pump = current;
                        if (pump != null) {
                            pump.cancelled();
                        }
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(null);
                    }
                });
        if (stopped != null) {
            current.stop(stopped);
        }
        try {
            var written = answer.get();
            if (written == null) {
                return new Attempt(Status.INTERNAL.withDescription("the sink answered nothing"), null);
            }
            return new Attempt(Status.OK, written);
        } catch (ExecutionException e) {
            var status = Status.fromThrowable(e.getCause());
            // a refusal on our side (quota) is what the call ended with, not the echo of the cancel
            var local = ended.getNow(null);
            return new Attempt(local != null && !local.isOk() && local.getCode() != Status.Code.CANCELLED ? local : status, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(Status.CANCELLED.withDescription("interrupted"), null);
        }
    }

    private record Attempt(Status status, WriteResult written) { }
}
