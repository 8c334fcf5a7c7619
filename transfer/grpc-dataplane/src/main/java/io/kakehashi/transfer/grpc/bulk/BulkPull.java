package io.kakehashi.transfer.grpc.bulk;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.ResumeLoop;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.auth.BearerToken;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeter;
import io.kakehashi.transfer.grpc.v1.BulkMessage;
import io.kakehashi.transfer.grpc.v1.BulkTransferGrpc;
import io.kakehashi.transfer.grpc.v1.ReadRequest;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A consumer pulling one bulk transfer from a provider's endpoint into a local destination. It asks for a few
 * messages ahead and for one more only when the last was written, so gRPC's flow control holds the sender and
 * memory stays flat. After a dropped connection, or while the provider restarts, it resumes from the receiver's
 * last durable offset ({@link ResumeLoop}); a transfer that cannot resume removes its partial file.
 * {@link #run()} runs once on one thread; {@link #stop(Status)} may be called from any other.
 */
public final class BulkPull {

    private final Channel channel;
    private final String transferId;
    private final Supplier<String> token;
    private final Path destination;
    private final GrpcTransferConfig config;
    private final Monitor monitor;
    private final TransferMeter meter;
    private final Context.CancellableContext context = Context.current().withCancellation();
    private final ResumeLoop loop;

    public BulkPull(Channel channel, String transferId, Supplier<String> token, Path destination,
                    GrpcTransferConfig config, Monitor monitor) {
        this(channel, transferId, token, destination, config, monitor,
                new TransferMeter(transferId, TransferLimits.NONE, java.time.Clock.systemUTC()));
    }

    /**
     * @param meter counts what arrives, for the receiving side's progress (its limits are not enforced here: the
     *              sender enforces the agreement's quotas)
     */
    public BulkPull(Channel channel, String transferId, Supplier<String> token, Path destination,
                    GrpcTransferConfig config, Monitor monitor, TransferMeter meter) {
        this.meter = meter;
        this.channel = channel;
        this.transferId = transferId;
        this.token = token;
        this.destination = destination;
        this.config = config;
        this.monitor = monitor;
        this.loop = new ResumeLoop("bulk pull of " + transferId, config, monitor);
    }

    /** Pulls the transfer to its end; answers how it ended. */
    public TransferOutcome run() {
        BulkReceiver receiver;
        try {
            receiver = BulkReceiver.open(destination);
        } catch (IOException e) {
            return new TransferOutcome(Status.INTERNAL.withDescription("cannot open the destination: " + e.getMessage()), 0, 0, null, 0);
        }
        var ending = loop.run(attempt -> {
            if (attempt > 1) {
                try {
                    receiver.checkpoint();
                } catch (IOException e) {
                    return Status.INTERNAL.withDescription("cannot checkpoint the partial file: " + e.getMessage());
                }
            }
            // each attempt in its own cancellable context, so that leaving an attempt early also ends its call
            var call = context.withCancellation();
            try {
                return call.call(() -> readOnce(receiver));
            } finally {
                call.cancel(null);
            }
        }, receiver::offset);
        var last = ending.status();
        if (last.isOk()) {
            meter.state("COMPLETED");
            return new TransferOutcome(Status.OK, receiver.offset(), 0, receiver.sha256(), ending.attempts());
        }
        // suspended, or stopped because this connector shuts down: the partial file stays for a later resume;
        // terminated, refused or given up: it goes
        if (last.getCode() == Status.Code.FAILED_PRECONDITION || ending.stopped() && last.getCode() == Status.Code.UNAVAILABLE) {
            closeQuietly(receiver);
        } else {
            receiver.abandon();
        }
        return new TransferOutcome(last, receiver.offset(), 0, null, ending.attempts());
    }

    /**
     * Stops a running pull: {@code FAILED_PRECONDITION} (suspended) and {@code UNAVAILABLE} (shutting down) keep the
     * partial file for a resume, anything else removes it.
     */
    public void stop(Status status) {
        loop.stop(status);
        context.cancel(status.asRuntimeException());
    }

    private Status readOnce(BulkReceiver receiver) {
        var ended = new CompletableFuture<Status>();
        BulkTransferGrpc.newStub(channel)
                .withCallCredentials(new BearerToken(token))
                .withDeadlineAfter(config.bulkDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .read(ReadRequest.newBuilder().setTransferId(transferId).setOffset(receiver.offset()).build(),
                        new ClientResponseObserver<ReadRequest, BulkMessage>() {
                            private ClientCallStreamObserver<ReadRequest> call;

                            @Override
                            public void beforeStart(ClientCallStreamObserver<ReadRequest> requestStream) {
                                call = requestStream;
                                // a few chunks asked for ahead, one more after each is written: the next chunk is
                                // already here when the last is on disk, and flow control still holds the sender
                                requestStream.disableAutoRequestWithInitial(BulkTransferService.ON_READY_CHUNKS);
                            }

                            @Override
                            public void onNext(BulkMessage message) {
                                if (ended.isDone()) {
                                    return;
                                }
                                Status refused;
                                try {
                                    refused = receiver.accept(message);
                                } catch (IOException e) {
                                    refused = Status.INTERNAL.withDescription("writing the destination failed: " + e.getMessage());
                                }
                                if (refused != null) {
                                    ended.complete(refused);
                                    call.cancel("the receiver refused a message", null);
                                    return;
                                }
                                if (message.hasHeader()) {
                                    meter.totalSize(message.getHeader().getTotalSize());
                                    // the meter keeps counting across attempts: what it counted is part of the offset resumed from
                                    meter.resumedAt(message.getHeader().getStartOffset() - meter.snapshot().bytes(), 0);
                                } else if (message.hasChunk()) {
                                    meter.admit(message.getChunk().getData().size());
                                }
                                call.request(1);
                            }

                            @Override
                            public void onError(Throwable t) {
                                ended.complete(Status.fromThrowable(t));
                            }

                            @Override
                            public void onCompleted() {
                                ended.complete(receiver.isComplete() ? Status.OK
                                        : Status.ABORTED.withDescription("the provider ended the call before the trailer"));
                            }
                        });
        try {
            // the callbacks touch the receiver one at a time; the call has ended when this returns
            return ended.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCELLED.withDescription("interrupted");
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause());
        }
    }

    private static void closeQuietly(BulkReceiver receiver) {
        try {
            receiver.close();
        } catch (IOException ignored) {
            // the partial file keeps its name; its size tells the next attempt where to start
        }
    }
}
