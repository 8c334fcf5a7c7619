package io.kakehashi.transfer.grpc.stream;

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
import io.kakehashi.transfer.grpc.v1.DeliverResult;
import io.kakehashi.transfer.grpc.v1.NextSequenceRequest;
import io.kakehashi.transfer.grpc.v1.RecordBatch;
import io.kakehashi.transfer.grpc.v1.RecordStreamGrpc;
import org.eclipse.edc.spi.monitor.Monitor;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A provider pushing a real-time stream to a consumer's sink: each call asks the sink for its next sequence
 * and delivers from there with a {@link RecordPump}, so a dropped call continues with no loss and no
 * duplicate. It ends when {@link #stop(Status)} is called (suspend: FAILED_PRECONDITION, terminate: CANCELLED,
 * which closes the call cleanly), on a refusal, or when the {@link ResumeLoop} gives up without progress.
 * {@link #run()} runs once on one thread; {@link #stop(Status)} may be called from any other.
 */
public final class RecordPush {

    private final Channel channel;
    private final String transferId;
    private final Supplier<String> token;
    private final RecordStream stream;
    private final TransferMeter meter;
    private final GrpcTransferConfig config;
    private final ExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;
    private volatile RecordPump current;
    private volatile Status stopped;
    private final ResumeLoop loop;

    public RecordPush(Channel channel, String transferId, Supplier<String> token, RecordStream stream, TransferMeter meter,
                      GrpcTransferConfig config, ExecutorService executor, Clock clock, Monitor monitor) {
        this.channel = channel;
        this.transferId = transferId;
        this.token = token;
        this.stream = stream;
        this.meter = meter;
        this.config = config;
        this.executor = executor;
        this.clock = clock;
        this.monitor = monitor;
        this.loop = new ResumeLoop("record push of " + transferId, config, monitor);
    }

    /** Delivers until the stream ends; answers how it ended. */
    public TransferOutcome run() {
        var ending = loop.run(attempt -> deliverOnce(), stream::nextSequence);
        var snapshot = meter.snapshot();
        return new TransferOutcome(ending.status(), snapshot.bytes(), snapshot.messages(), null, ending.attempts());
    }

    /** Ends the running call with {@code status}; no further call starts. */
    public void stop(Status status) {
        stopped = status;
        loop.stop(status);
        var pump = current;
        if (pump != null) {
            pump.stop(status);
        }
    }

    private Status deliverOnce() {
        var credentials = new BearerToken(token);
        long from;
        try {
            from = RecordStreamGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                    .withDeadlineAfter(config.unaryDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .nextSequence(NextSequenceRequest.newBuilder().setTransferId(transferId).build()).getNextSequence();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        var answer = new CompletableFuture<Status>();
        var pumpEnded = new CompletableFuture<Status>();
        RecordStreamGrpc.newStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(config.streamDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .deliver(new ClientResponseObserver<RecordBatch, DeliverResult>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<RecordBatch> requests) {
                        var pump = new RecordPump(transferId, stream, from, requests, meter, () -> null,
                                config.tokenRecheck(), config.pollInterval(), config.streamBatchBytes(), true, clock, pumpEnded::complete);
                        current = pump;
                        requests.setOnReadyHandler(pump::onReady);
                    }

                    @Override
                    public void onNext(DeliverResult value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        current.cancelled();
                        answer.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(Status.OK);
                    }
                });
        var pump = current;
        if (stopped != null) {
            pump.stop(stopped);
        }
        executor.execute(pump);
        try {
            var status = answer.get();
            // a refusal on our side (quota) is what the call ended with, not the echo of the cancel. The pump says how
            // it ended just after it closed its side, so its word may come a moment after the call's; it always comes:
            // the call ended either after the pump half-closed it, or with an error the pump was told of (cancelled)
            // and sees within one poll interval
            var local = pumpEnded.get();
            return !local.isOk() && local.getCode() != Status.Code.CANCELLED ? local : status;
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pump.stop(Status.CANCELLED);
            return Status.CANCELLED.withDescription("interrupted");
        }
    }
}
