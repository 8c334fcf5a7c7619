package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kakehashi.transfer.grpc.GrpcStatuses;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.InboundPush;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.v1.BulkMessage;
import io.kakehashi.transfer.grpc.v1.BulkTransferGrpc;
import io.kakehashi.transfer.grpc.v1.OffsetRequest;
import io.kakehashi.transfer.grpc.v1.OffsetResponse;
import io.kakehashi.transfer.grpc.v1.ReadRequest;
import io.kakehashi.transfer.grpc.v1.WriteResult;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The bulk side of the gRPC endpoint. As a provider it serves {@code Read} (PULL) from the registered
 * sources; as a consumer it takes {@code Offset} and {@code Write} (PUSH) into the registered destinations.
 * Every call is authorised by {@link TransferAuthorization} (the interceptor in front) and scoped to the
 * transfer it names. Thread-safe.
 */
public final class BulkTransferService extends BulkTransferGrpc.BulkTransferImplBase {

    /** How many chunks may wait in the transport before the sender pauses; bounds memory per call. */
    static final int ON_READY_CHUNKS = 4;

    private final TransferAuthorization authorization;
    private final TransferRegistry<BulkSource> sources;
    private final TransferRegistry<Path> sinks;
    private final TransferMeters meters;
    private final GrpcTransferConfig config;
    private final Clock clock;
    private final Monitor monitor;
    /** By source (weakly: a source its registry forgot takes its states along). */
    private final java.util.Map<BulkSource, PrefixDigests> digests = new java.util.WeakHashMap<>();

    public BulkTransferService(TransferAuthorization authorization, TransferRegistry<BulkSource> sources,
                               TransferRegistry<Path> sinks, TransferMeters meters, GrpcTransferConfig config,
                               Clock clock, Monitor monitor) {
        this.authorization = authorization;
        this.sources = sources;
        this.sinks = sinks;
        this.meters = meters;
        this.config = config;
        this.clock = clock;
        this.monitor = monitor;
    }

    @Override
    public void read(ReadRequest request, StreamObserver<BulkMessage> responseObserver) {
        var call = (ServerCallStreamObserver<BulkMessage>) responseObserver;
        TransferAuthorization.Recheck recheck;
        try {
            authorization.requireTransfer(request.getTransferId());
            recheck = authorization.currentGrant();
        } catch (StatusException e) {
            call.onError(e);
            return;
        }
        if (request.getOffset() < 0) {
            call.onError(Status.INVALID_ARGUMENT.withDescription("negative offset").asException());
            return;
        }
        var holder = new ChunkPump[1];
        var stopped = new Status[1];
        var lease = sources.open(request.getTransferId(), status -> {
            // a stop can come before the pump exists: it is then handed over as soon as it does
            synchronized (holder) {
                if (holder[0] == null) {
                    stopped[0] = status;
                } else {
                    holder[0].stop(status);
                }
            }
        });
        if (lease.failed()) {
            call.onError(GrpcStatuses.of(lease.getFailure()).asException());
            return;
        }
        var meter = meters.start(request.getTransferId());
        var pump = new ChunkPump(request.getTransferId(), lease.getContent().value(), request.getOffset(),
                config.chunkSize(), call, meter, recheck, config.tokenRecheck(), clock, status -> {
                    lease.getContent().release().run();
                    meter.state(status.isOk() ? "COMPLETED" : "INTERRUPTED");
                    if (!status.isOk()) {
                        monitor.debug(() -> "bulk read of %s ended: %s".formatted(request.getTransferId(), status));
                    }
                }, prefixDigests(lease.getContent().value()));
        synchronized (holder) {
            holder[0] = pump;
            if (stopped[0] != null) {
                pump.stop(stopped[0]);
            }
        }
        // ready while a few chunks are queued (not only below the default 32 KiB), so the transport never waits on us
        call.setOnReadyThreshold(ON_READY_CHUNKS * config.chunkSize());
        call.setOnCancelHandler(pump::cancelled);
        call.setOnReadyHandler(pump);
        // the call may already be ready, in which case no on-ready event comes
        pump.run();
    }

    /** The prefix hash states of a source, kept as long as its transfer holds the source. */
    private PrefixDigests prefixDigests(BulkSource source) {
        synchronized (digests) {
            return digests.computeIfAbsent(source, s -> new PrefixDigests());
        }
    }

    @Override
    public void offset(OffsetRequest request, StreamObserver<OffsetResponse> responseObserver) {
        try {
            authorization.requireTransfer(request.getTransferId());
        } catch (StatusException e) {
            responseObserver.onError(e);
            return;
        }
        var lease = sinks.open(request.getTransferId(), status -> { });
        if (lease.failed()) {
            responseObserver.onError(GrpcStatuses.of(lease.getFailure()).asException());
            return;
        }
        try {
            var partial = BulkReceiver.partialFileOf(lease.getContent().value());
            var offset = Files.exists(partial) ? Files.size(partial) : 0L;
            responseObserver.onNext(OffsetResponse.newBuilder().setOffset(offset).build());
            responseObserver.onCompleted();
        } catch (IOException e) {
            responseObserver.onError(Status.INTERNAL.withDescription("cannot read the partial file").asException());
        } finally {
            lease.getContent().release().run();
        }
    }

    @Override
    public StreamObserver<BulkMessage> write(StreamObserver<WriteResult> responseObserver) {
        TransferAuthorization.Recheck recheck;
        try {
            recheck = authorization.currentGrant();
        } catch (StatusException e) {
            responseObserver.onError(e);
            return new Ignoring();
        }
        var call = (ServerCallStreamObserver<WriteResult>) responseObserver;
        // a few chunks asked for ahead, one more after each is written: the next chunk is already delivered when the
        // last is on disk (no hand-off to the transport per chunk), and flow control still holds a sender we outpace
        call.disableAutoRequest();
        call.request(ON_READY_CHUNKS);
        return new WriteObserver(call, recheck);
    }

    /** One PUSH call into a sink; synchronized because suspend/terminate may end it from another thread. */
    private final class WriteObserver implements StreamObserver<BulkMessage> {
        private final ServerCallStreamObserver<WriteResult> response;
        private final InboundPush<Path> push;
        private BulkReceiver receiver;

        private WriteObserver(ServerCallStreamObserver<WriteResult> response, TransferAuthorization.Recheck recheck) {
            this.response = response;
            this.push = new InboundPush<>(authorization, sinks, recheck, response, clock, config.tokenRecheck());
            push.onEnd(this::closeQuietly);
        }

        @Override
        public synchronized void onNext(BulkMessage message) {
            if (push.ended()) {
                return;
            }
            try {
                if (receiver == null) {
                    if (!message.hasHeader()) {
                        push.end(Status.INVALID_ARGUMENT.withDescription("the first message must be the header"));
                        return;
                    }
                    if (!push.open(message.getHeader().getTransferId(), this::stop)) {
                        return;
                    }
                    receiver = BulkReceiver.open(push.sink());
                }
                if (!push.tokenStillValid()) {
                    return;
                }
                var refused = receiver.accept(message);
                if (refused != null) {
                    // a checksum mismatch already removed the partial file; other refusals keep it for a resume
                    push.end(refused);
                    return;
                }
                response.request(1);
            } catch (IOException e) {
                push.end(Status.INTERNAL.withDescription("writing the destination failed: " + e.getMessage()));
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            // the sender went away (dropped connection, cancel): keep what is durable for a resume
            push.abandoned();
        }

        @Override
        public synchronized void onCompleted() {
            if (receiver != null && receiver.isComplete()) {
                push.complete(() -> {
                    response.onNext(WriteResult.newBuilder().setTotalSize(receiver.offset())
                            .setSha256(com.google.protobuf.ByteString.copyFrom(receiver.sha256())).build());
                    response.onCompleted();
                });
                return;
            }
            push.end(Status.ABORTED.withDescription("the sender ended the call before the trailer"));
        }

        private synchronized void stop(Status status) {
            // a terminated transfer cannot resume: its partial file goes; a suspended or interrupted one keeps it
            if (status.getCode() == Status.Code.CANCELLED && receiver != null && !push.ended()) {
                receiver.abandon();
            }
            push.end(status);
        }

        private void closeQuietly() {
            if (receiver != null) {
                try {
                    receiver.close();
                } catch (IOException ignored) {
                    // the partial file stays named .part; a resume re-reads its size
                }
            }
        }
    }

    private static final class Ignoring implements StreamObserver<BulkMessage> {
        @Override
        public void onNext(BulkMessage value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
