package io.kakehashi.transfer.grpc.stream;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.ResumeLoop;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.auth.BearerToken;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeter;
import io.kakehashi.transfer.grpc.v1.RecordStreamGrpc;
import io.kakehashi.transfer.grpc.v1.SubscribeRequest;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A consumer pulling one real-time transfer into a {@link RecordSink}: it subscribes from the sink's next
 * sequence, checks that every record is the next one, and re-subscribes when a call reaches its deadline, the
 * connection drops or the provider restarts ({@link ResumeLoop}; no loss, no duplicate). It ends when the provider suspends (FAILED_PRECONDITION) or
 * terminates (CANCELLED) the transfer, on a refusal, or when {@link #stop(Status)} is called. Records come in
 * batches; a batch whose records are not each the next one (a gap or a duplicate, inside it or across batches) ends
 * the subscription with DATA_LOSS before any of it is kept. The blocking iterator asks for a batch only when the last
 * one is kept, so a slow sink holds the provider.
 * {@link #run()} runs once on one thread; {@link #stop(Status)} may be called from any other.
 */
public final class RecordSubscription {

    private final Channel channel;
    private final String transferId;
    private final Supplier<String> token;
    private final RecordSink sink;
    private final GrpcTransferConfig config;
    private final Monitor monitor;
    private final TransferMeter meter;
    private final Context.CancellableContext context = Context.current().withCancellation();
    private final ResumeLoop loop;
    private long bytes;
    private long records;

    public RecordSubscription(Channel channel, String transferId, Supplier<String> token, RecordSink sink,
                              GrpcTransferConfig config, Monitor monitor) {
        this(channel, transferId, token, sink, config, monitor,
                new TransferMeter(transferId, TransferLimits.NONE, java.time.Clock.systemUTC()));
    }

    /**
     * @param meter counts what arrives, for the receiving side's progress
     */
    public RecordSubscription(Channel channel, String transferId, Supplier<String> token, RecordSink sink,
                              GrpcTransferConfig config, Monitor monitor, TransferMeter meter) {
        this.meter = meter;
        this.channel = channel;
        this.transferId = transferId;
        this.token = token;
        this.sink = sink;
        this.config = config;
        this.monitor = monitor;
        this.loop = new ResumeLoop("record stream of " + transferId, config, monitor);
    }

    /** Receives until the stream ends; answers how it ended. */
    public TransferOutcome run() {
        var ending = loop.run(attempt -> {
            var call = context.withCancellation();
            try {
                return call.call(this::subscribeOnce);
            } finally {
                call.cancel(null);
            }
        }, sink::nextSequence);
        return outcome(ending.status(), ending.attempts());
    }

    /** Ends the subscription with {@code status} (the consumer's side of suspend or terminate). */
    public void stop(Status status) {
        loop.stop(status);
        context.cancel(status.asRuntimeException());
    }

    private Status subscribeOnce() {
        var stub = RecordStreamGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken(token))
                .withDeadlineAfter(config.streamDeadline().toMillis(), TimeUnit.MILLISECONDS);
        try {
            var iterator = stub.subscribe(SubscribeRequest.newBuilder().setTransferId(transferId)
                    .setFromSequence(sink.nextSequence()).build());
            while (iterator.hasNext()) {
                var batch = iterator.next();
                // checked as a whole before any of it is kept
                var order = RecordBatchOrder.check(batch, sink.nextSequence());
                if (order.failed()) {
                    return Status.DATA_LOSS.withDescription(order.getFailureDetail());
                }
                for (var record : batch.getRecordsList()) {
                    sink.accept(record.getSequence(), record.getPayload().toByteArray());
                    meter.admit(record.getPayload().size());
                    bytes += record.getPayload().size();
                    records++;
                }
                sink.flush();
            }
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        } catch (IOException e) {
            return Status.INTERNAL.withDescription("the sink failed: " + e.getMessage());
        }
    }

    private TransferOutcome outcome(Status status, int attempts) {
        return new TransferOutcome(status, bytes, records, null, attempts);
    }
}
