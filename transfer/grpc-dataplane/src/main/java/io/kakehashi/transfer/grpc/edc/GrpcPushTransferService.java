package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.kakehashi.transfer.spi.FlowStarts;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.bulk.BulkPush;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.stream.RecordPush;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSink;
import org.eclipse.edc.connector.dataplane.spi.pipeline.StreamResult;
import org.eclipse.edc.connector.dataplane.spi.pipeline.TransferService;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * {@code GrpcStream-PUSH} on a provider's data plane: EDC's data-plane manager hands it each started flow
 * whose destination is a consumer's gRPC sink; it pushes the flow's source there (bulk with resume, or a
 * real-time stream) and completes the flow when the sink has checked the content. A suspend or terminate from
 * the control plane ({@link #terminate(DataFlow)}) ends the live call at once; a resumed flow continues where
 * the sink stands. Thread-safe.
 */
public final class GrpcPushTransferService implements TransferService {

    private final ProviderFlows flows;
    private final GrpcChannels channels;
    private final TransferMeters meters;
    private final GrpcTransferConfig config;
    private final ExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final FlowStarts starts = new FlowStarts();

    public GrpcPushTransferService(ProviderFlows flows, GrpcChannels channels, TransferMeters meters, GrpcTransferConfig config,
                                   ExecutorService executor, Clock clock, Monitor monitor) {
        this.flows = flows;
        this.channels = channels;
        this.meters = meters;
        this.config = config;
        this.executor = executor;
        this.clock = clock;
        this.monitor = monitor;
    }

    @Override
    public boolean canHandle(DataFlowStartMessage request) {
        return request.getDestinationDataAddress() != null
                && GrpcStreamAddresses.TYPE.equals(request.getDestinationDataAddress().getType());
    }

    @Override
    public Result<Void> validate(DataFlowStartMessage request) {
        var destination = request.getDestinationDataAddress();
        try {
            GrpcStreamAddresses.Endpoint.parse(String.valueOf(destination.getStringProperty(GrpcStreamAddresses.ENDPOINT)));
        } catch (IllegalArgumentException e) {
            return Result.failure("the GrpcStream destination has no usable endpoint: " + e.getMessage());
        }
        if (destination.getStringProperty(GrpcStreamAddresses.AUTHORIZATION) == null
                || destination.getStringProperty(GrpcStreamAddresses.TRANSFER_ID) == null) {
            return Result.failure("the GrpcStream destination needs an authorization and a transfer id");
        }
        var source = request.getSourceDataAddress();
        return GrpcStreamAddresses.isStream(source)
                ? flows.personalStreamRefusal(request.getAssetId()).compose(x -> flows.recordStreamOf(request.getProcessId(), source)).mapEmpty()
                : flows.bulkSourceOf(source).mapEmpty();
    }

    @Override
    public CompletableFuture<StreamResult<Object>> transfer(DataFlowStartMessage request) {
        // a start the control plane repeats joins the push it started before (FlowStarts)
        return starts.start(request.getProcessId(), () -> push(request));
    }

    private CompletableFuture<StreamResult<Object>> push(DataFlowStartMessage request) {
        var valid = validate(request);
        if (valid.failed()) {
            return CompletableFuture.completedFuture(StreamResult.error(valid.getFailureDetail()));
        }
        var destination = request.getDestinationDataAddress();
        var endpoint = GrpcStreamAddresses.Endpoint.parse(destination.getStringProperty(GrpcStreamAddresses.ENDPOINT));
        var channel = channels.channelTo(endpoint);
        var sinkTransferId = destination.getStringProperty(GrpcStreamAddresses.TRANSFER_ID);
        var token = destination.getStringProperty(GrpcStreamAddresses.AUTHORIZATION);
        var source = request.getSourceDataAddress();
        // a stream keeps one meter through suspensions and resumes (its quotas count the whole transfer); a bulk
        // push starts a fresh one, which counts from the offset the sink already holds
        var meter = GrpcStreamAddresses.isStream(source) ? meters.stream(request.getProcessId()) : meters.start(request.getProcessId());
        // the push exists before it runs, so that a suspend arriving first still stops it
        java.util.function.Supplier<TransferOutcome> run;
        Consumer<Status> stop;
        if (GrpcStreamAddresses.isStream(source)) {
            var push = new RecordPush(channel, sinkTransferId, () -> token,
                    flows.recordStreamOf(request.getProcessId(), source).getContent(), meter, config, executor, clock, monitor);
            run = push::run;
            stop = push::stop;
        } else {
            // an asset that holds personal data is sent narrowed to its consented records, or not at all
            var bulk = flows.bulkSourceOf(request.getProcessId(), request.getAgreementId(), request.getAssetId(), source);
            if (bulk.failed()) {
                return CompletableFuture.completedFuture(StreamResult.error(bulk.getFailureDetail()));
            }
            var push = new BulkPush(channel, sinkTransferId, () -> token, bulk.getContent(), meter,
                    config, clock, monitor);
            run = push::run;
            stop = push::stop;
        }
        var handle = new Running(stop);
        running.put(request.getProcessId(), handle);
        var result = new CompletableFuture<StreamResult<Object>>();
        executor.execute(() -> {
            var outcome = run.get();
            running.remove(request.getProcessId(), handle);
            if (handle.stoppedByControlPlane) {
                // the control plane suspended or terminated the flow and sets its state itself; an answer here
                // could reach the data-plane manager first and mark the flow FAILED, so there is none
                return;
            }
            if (outcome.succeeded()) {
                result.complete(StreamResult.success());
                return;
            }
            monitor.warning("GrpcStream-PUSH of %s ended: %s".formatted(request.getProcessId(), outcome.describe()));
            result.complete(StreamResult.error(outcome.describe()));
        });
        return result;
    }

    @Override
    public CompletableFuture<StreamResult<Object>> transfer(DataFlowStartMessage request, DataSink sink) {
        return CompletableFuture.completedFuture(StreamResult.error("GrpcStream-PUSH writes to its own gRPC sink"));
    }

    @Override
    public StreamResult<Void> terminate(DataFlow dataFlow) {
        var known = starts.stopped(dataFlow.getId());
        var handle = running.remove(dataFlow.getId());
        if (handle == null) {
            // EDC terminates a flow after it failed: one that ended here has nothing left to stop
            return known ? StreamResult.success() : StreamResult.notFound();
        }
        handle.stoppedByControlPlane = true;
        // suspend and terminate look alike here; the consumer's sink learns which from its own control plane
        handle.stop.accept(Status.FAILED_PRECONDITION.withDescription("transfer %s was stopped by the provider".formatted(dataFlow.getId())));
        return StreamResult.success();
    }

    /** A running push and whether the control plane stopped it. */
    private static final class Running {
        private final Consumer<Status> stop;
        private volatile boolean stoppedByControlPlane;

        private Running(Consumer<Status> stop) {
            this.stop = stop;
        }
    }

    @Override
    public void closeAll() {
        running.values().forEach(handle -> handle.stop.accept(Status.UNAVAILABLE.withDescription("the data plane is shutting down")));
        running.clear();
    }
}
