package io.kakehashi.transfer.grpc.stream;

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
import io.kakehashi.transfer.grpc.v1.DeliverResult;
import io.kakehashi.transfer.grpc.v1.NextSequenceRequest;
import io.kakehashi.transfer.grpc.v1.NextSequenceResponse;
import io.kakehashi.transfer.grpc.v1.RecordBatch;
import io.kakehashi.transfer.grpc.v1.RecordStreamGrpc;
import io.kakehashi.transfer.grpc.v1.SubscribeRequest;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * The real-time side of the gRPC endpoint. As a provider it serves {@code Subscribe} (PULL) from the
 * registered record streams, each call pumped by its own {@link RecordPump} on the given executor (several records
 * per message); as a consumer it takes {@code NextSequence} and {@code Deliver} (PUSH) into the registered sinks,
 * refusing a batch with a gap or a duplicate (as a whole) and anything sent after the transfer was suspended or
 * terminated. Thread-safe.
 */
public final class RecordStreamService extends RecordStreamGrpc.RecordStreamImplBase {

    private final TransferAuthorization authorization;
    private final TransferRegistry<RecordStream> streams;
    private final TransferRegistry<RecordSink> sinks;
    private final TransferMeters meters;
    private final GrpcTransferConfig config;
    private final ExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;

    public RecordStreamService(TransferAuthorization authorization, TransferRegistry<RecordStream> streams,
                               TransferRegistry<RecordSink> sinks, TransferMeters meters, GrpcTransferConfig config,
                               ExecutorService executor, Clock clock, Monitor monitor) {
        this.authorization = authorization;
        this.streams = streams;
        this.sinks = sinks;
        this.meters = meters;
        this.config = config;
        this.executor = executor;
        this.clock = clock;
        this.monitor = monitor;
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<RecordBatch> responseObserver) {
        var call = (ServerCallStreamObserver<RecordBatch>) responseObserver;
        TransferAuthorization.Recheck recheck;
        try {
            authorization.requireTransfer(request.getTransferId());
            recheck = authorization.currentGrant();
        } catch (StatusException e) {
            call.onError(e);
            return;
        }
        var holder = new RecordPump[1];
        var stopped = new Status[1];
        var lease = streams.open(request.getTransferId(), status -> {
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
        var meter = meters.stream(request.getTransferId());
        var pump = new RecordPump(request.getTransferId(), lease.getContent().value(), request.getFromSequence(), call,
                meter, recheck, config.tokenRecheck(), config.pollInterval(), config.streamBatchBytes(), false, clock, status -> {
                    lease.getContent().release().run();
                    meter.state(status.getCode() == Status.Code.FAILED_PRECONDITION ? "SUSPENDED"
                            : status.getCode() == Status.Code.CANCELLED ? "TERMINATED" : "INTERRUPTED");
                    monitor.debug(() -> "record stream of %s ended: %s".formatted(request.getTransferId(), status.getCode()));
                });
        synchronized (holder) {
            holder[0] = pump;
            if (stopped[0] != null) {
                pump.stop(stopped[0]);
            }
        }
        call.setOnReadyHandler(pump::onReady);
        call.setOnCancelHandler(pump::cancelled);
        executor.execute(pump);
    }

    @Override
    public void nextSequence(NextSequenceRequest request, StreamObserver<NextSequenceResponse> responseObserver) {
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
        lease.getContent().release().run();
        responseObserver.onNext(NextSequenceResponse.newBuilder().setNextSequence(lease.getContent().value().nextSequence()).build());
        responseObserver.onCompleted();
    }

    @Override
    public StreamObserver<RecordBatch> deliver(StreamObserver<DeliverResult> responseObserver) {
        TransferAuthorization.Recheck recheck;
        try {
            recheck = authorization.currentGrant();
        } catch (StatusException e) {
            responseObserver.onError(e);
            return new StreamObserver<>() {
                @Override
                public void onNext(RecordBatch value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        return new DeliverObserver(responseObserver, recheck);
    }

    /** One PUSH call into a sink; synchronized because suspend/terminate may end it from another thread. */
    private final class DeliverObserver implements StreamObserver<RecordBatch> {
        private final StreamObserver<DeliverResult> response;
        private final InboundPush<RecordSink> push;

        private DeliverObserver(StreamObserver<DeliverResult> response, TransferAuthorization.Recheck recheck) {
            this.response = response;
            this.push = new InboundPush<>(authorization, sinks, recheck, response, clock, config.tokenRecheck());
        }

        @Override
        public synchronized void onNext(RecordBatch batch) {
            if (push.ended()) {
                // sent after the transfer was suspended or terminated: dropped, never kept
                return;
            }
            if (batch.getRecordsCount() == 0) {
                push.end(Status.INVALID_ARGUMENT.withDescription("an empty batch arrived (a batch carries at least one record)"));
                return;
            }
            if (push.sink() == null && !push.open(batch.getRecords(0).getTransferId(), this::stop)) {
                return;
            }
            if (!push.tokenStillValid()) {
                return;
            }
            var sink = push.sink();
            try {
                // checked as a whole before any of it is kept: a refused batch leaves the sink as it was
                var order = RecordBatchOrder.check(batch, sink.nextSequence());
                if (order.failed()) {
                    push.end(Status.INVALID_ARGUMENT.withDescription(order.getFailureDetail()));
                    return;
                }
                for (var record : batch.getRecordsList()) {
                    sink.accept(record.getSequence(), record.getPayload().toByteArray());
                }
                sink.flush();
            } catch (IOException e) {
                push.end(Status.INTERNAL.withDescription("the sink failed: " + e.getMessage()));
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            push.abandoned();
        }

        @Override
        public synchronized void onCompleted() {
            push.complete(() -> {
                var sink = push.sink();
                response.onNext(DeliverResult.newBuilder().setNextSequence(sink == null ? 0 : sink.nextSequence()).build());
                response.onCompleted();
            });
        }

        private synchronized void stop(Status status) {
            push.end(status);
        }
    }
}
