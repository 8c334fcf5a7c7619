package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.bulk.BulkPull;
import io.kakehashi.transfer.grpc.bulk.BulkReceiver;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.stream.FileRecordSink;
import io.kakehashi.transfer.grpc.stream.LazyFileRecordSink;
import io.kakehashi.transfer.grpc.stream.RecordSink;
import io.kakehashi.transfer.grpc.stream.RecordSubscription;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessListener;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessStartedData;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The consumer's side of the gRPC transfer types, driven by its own transfer processes.
 * <ul>
 *   <li>{@code GrpcStream-PUSH}: when the process is created, the local destination (the private property
 *       {@link GrpcStreamAddresses#DESTINATION_PATH}) becomes a sink of this connector's gRPC endpoint, and the
 *       destination sent to the provider is replaced by that endpoint, a token scoped to the process and its
 *       agreement, and the process id: the local path never leaves the connector.</li>
 *   <li>{@code GrpcStream-PULL}: when the process reaches STARTED (again, after a resume) with the provider's
 *       EDR, it pulls into the local destination from where it stands; a finished bulk pull completes the
 *       process, a failed one terminates it with the gRPC status as reason.</li>
 *   <li>A pull is metered under the consumer's process id, so its progress shows on the consumer's management
 *       API too (the provider's shows it under its own flow id).</li>
 *   <li>SUSPENDED stops a running pull and keeps what arrived; TERMINATED stops it, removes a partial file (PULL
 *       or PUSH) and a record sink's position, and closes the sinks so that nothing a provider still sends is kept.</li>
 *   <li>After a restart, {@link #resumeStartedPulls} continues the pulls that were running, and
 *       {@link #pushDestination}/{@link #pushRecordSink} find a PUSH transfer's sink from its process, so a
 *       provider that retries meanwhile finds it again.</li>
 * </ul>
 * Thread-safe.
 */
public final class GrpcConsumerTransfers implements TransferProcessListener {

    private final TransferRegistry<Path> bulkSinks;
    private final TransferRegistry<RecordSink> recordSinks;
    private final TransferTokens tokens;
    private final OwnEndpoint endpoint;
    private final GrpcChannels channels;
    private final GrpcTransferConfig config;
    private final ExecutorService executor;
    private final Supplier<TransferProcessService> processes;
    private final Monitor monitor;
    private final TransferMeters meters;
    private final Map<String, Pull> running = new ConcurrentHashMap<>();
    /** The end of each process's latest pull, kept across suspensions so that a resumed pull waits for it. */
    private final Map<String, CompletableFuture<Void>> latest = new ConcurrentHashMap<>();
    private final Map<String, RecordSink> pulledStreams = new ConcurrentHashMap<>();
    private static final int PAGE = 100;

    public GrpcConsumerTransfers(TransferRegistry<Path> bulkSinks, TransferRegistry<RecordSink> recordSinks, TransferTokens tokens,
                                 OwnEndpoint endpoint, GrpcChannels channels, GrpcTransferConfig config, ExecutorService executor,
                                 Supplier<TransferProcessService> processes, TransferMeters meters, Monitor monitor) {
        this.meters = meters;
        this.bulkSinks = bulkSinks;
        this.recordSinks = recordSinks;
        this.tokens = tokens;
        this.endpoint = endpoint;
        this.channels = channels;
        this.config = config;
        this.executor = executor;
        this.processes = processes;
        this.monitor = monitor;
    }

    @Override
    public void preCreated(TransferProcess process) {
        if (process.getType() != TransferProcess.Type.CONSUMER || !GrpcStreamAddresses.PUSH.equals(process.getTransferType())) {
            return;
        }
        var path = destinationPath(process);
        if (path == null) {
            monitor.warning("GrpcStream-PUSH transfer %s has no %s: the provider will find no sink".formatted(process.getId(),
                    GrpcStreamAddresses.DESTINATION_PATH));
            return;
        }
        var local = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).property("path", path.toString()).build();
        var token = tokens.issue(process.getId(), process.getContractId(), null, local);
        if (token.failed()) {
            monitor.warning("cannot issue the sink token of transfer %s: %s".formatted(process.getId(), token.getFailureDetail()));
            return;
        }
        bulkSinks.register(process.getId(), path);
        recordSinks.register(process.getId(), new LazyFileRecordSink(path, process.getId()));
        // the provider learns the endpoint, the token and the id, but no local path; which mode comes from the source
        process.updateDestination(DataAddress.Builder.newInstance()
                .type(GrpcStreamAddresses.TYPE)
                .property(GrpcStreamAddresses.ENDPOINT, endpoint.url(false))
                .property(GrpcStreamAddresses.AUTHORIZATION, token.getContent())
                .property(GrpcStreamAddresses.TRANSFER_ID, process.getId())
                .build());
    }

    @Override
    public void started(TransferProcess process, TransferProcessStartedData additionalData) {
        if (process.getType() != TransferProcess.Type.CONSUMER || !GrpcStreamAddresses.PULL.equals(process.getTransferType())) {
            return;
        }
        var edr = additionalData == null ? null : additionalData.getDataAddress();
        var path = destinationPath(process);
        if (edr == null || path == null) {
            monitor.info("GrpcStream-PULL transfer %s started without %s: the EDR is left to the client"
                    .formatted(process.getId(), edr == null ? "an EDR" : GrpcStreamAddresses.DESTINATION_PATH));
            return;
        }
        pull(process, edr, path);
    }

    /**
     * Resumes the pulls that were running when this connector stopped: every consumer process in STARTED with
     * {@code GrpcStream-PULL} and a destination path continues from its partial file or its record sink's position,
     * with the provider's EDR as EDC's EDR store kept it. Runs once, after the runtime has started.
     *
     * @param edrs the EDR a process started with, by process id (null when none is kept)
     * @return how many pulls it resumed
     */
    public int resumeStartedPulls(Function<String, DataAddress> edrs) {
        var resumed = 0;
        var offset = 0;
        while (true) {
            var query = QuerySpec.Builder.newInstance()
                    .filter(Criterion.criterion("state", "=", TransferProcessStates.STARTED.code()))
                    .offset(offset).limit(PAGE).build();
            var page = processes.get().search(query);
            if (page.failed()) {
                monitor.warning("cannot look for running GrpcStream-PULL transfers: " + page.getFailureDetail());
                return resumed;
            }
            for (var process : page.getContent()) {
                if (process.getType() != TransferProcess.Type.CONSUMER || !GrpcStreamAddresses.PULL.equals(process.getTransferType())
                        || process.getState() != TransferProcessStates.STARTED.code() || running.containsKey(process.getId())) {
                    continue;
                }
                var path = destinationPath(process);
                if (path == null) {
                    continue;
                }
                var edr = edrs.apply(process.getId());
                if (edr == null) {
                    monitor.warning("GrpcStream-PULL transfer %s was running but no EDR of it is kept: it cannot resume".formatted(process.getId()));
                    continue;
                }
                monitor.info("resuming GrpcStream-PULL transfer %s after a restart".formatted(process.getId()));
                pull(process, edr, path);
                resumed++;
            }
            if (page.getContent().size() < PAGE) {
                return resumed;
            }
            offset += PAGE;
        }
    }

    /**
     * Where a PUSH transfer's bulk data goes, for a transfer id the provider names that this runtime does not hold
     * (the loader of the bulk sink registry: after a restart the sinks are known only from the transfer processes).
     */
    public ServiceResult<Path> pushDestination(String processId) {
        var service = processes.get();
        var process = service == null ? null : service.findById(processId);
        if (process == null || process.getType() != TransferProcess.Type.CONSUMER
                || !GrpcStreamAddresses.PUSH.equals(process.getTransferType()) || destinationPath(process) == null) {
            return ServiceResult.notFound("unknown transfer " + processId);
        }
        var state = TransferProcessStates.from(process.getState());
        if (state == null || TransferProcessStates.isFinal(process.getState()) || state.code() >= TransferProcessStates.COMPLETING.code()) {
            return ServiceResult.conflict("transfer %s has ended".formatted(processId));
        }
        if (state.code() >= TransferProcessStates.SUSPENDING.code() && state.code() <= TransferProcessStates.SUSPENDED.code()) {
            return ServiceResult.conflict("transfer %s is suspended".formatted(processId));
        }
        return ServiceResult.success(destinationPath(process));
    }

    /** Where a PUSH transfer's records go (the loader of the record sink registry, as {@link #pushDestination}). */
    public ServiceResult<RecordSink> pushRecordSink(String processId) {
        return pushDestination(processId).map(path -> new LazyFileRecordSink(path, processId));
    }

    private void pull(TransferProcess process, DataAddress edr, Path path) {
        GrpcStreamAddresses.Endpoint target;
        try {
            target = GrpcStreamAddresses.Endpoint.parse(String.valueOf(edr.getStringProperty(GrpcStreamAddresses.ENDPOINT)));
        } catch (IllegalArgumentException e) {
            fail(process.getId(), "the provider's EDR has no usable gRPC endpoint");
            return;
        }
        var token = edr.getStringProperty(GrpcStreamAddresses.AUTHORIZATION);
        // the provider knows the transfer by its own process id, which is the consumer's correlation id
        var providerTransferId = process.getCorrelationId();
        var channel = channels.channelTo(target);
        var processId = process.getId();
        Consumer<Status> stopper;
        Supplier<TransferOutcome> work;
        if (target.stream()) {
            var sink = pulledStreams.computeIfAbsent(processId, id -> new LazyFileRecordSink(path, id));
            var subscription = new RecordSubscription(channel, providerTransferId, () -> token, sink, config, monitor,
                    meters.start(processId));
            stopper = subscription::stop;
            work = subscription::run;
        } else {
            var pull = new BulkPull(channel, providerTransferId, () -> token, path, config, monitor, meters.start(processId));
            stopper = pull::stop;
            work = pull::run;
        }
        // one pull per process at a time: a pull that is still ending (a quick suspend and resume) finishes first,
        // so two never write the same file
        var previous = running.get(processId);
        if (previous != null) {
            previous.stop().accept(Status.FAILED_PRECONDITION.withDescription("superseded by a new start"));
        }
        var pull = new Pull(stopper, new CompletableFuture<>());
        var after = latest.put(processId, pull.done());
        running.put(processId, pull);
        if (after == null) {
            after = CompletableFuture.completedFuture(null);
        }
        after.whenCompleteAsync((ignored, failure) -> {
            try {
                finished(processId, pull, work.get(), !target.stream());
            } finally {
                pull.done().complete(null);
            }
        }, executor);
    }

    @Override
    public void suspended(TransferProcess process) {
        var pull = running.remove(process.getId());
        if (pull != null) {
            pull.stop().accept(Status.FAILED_PRECONDITION.withDescription("transfer suspended"));
        }
    }

    @Override
    public void terminated(TransferProcess process) {
        var pull = running.remove(process.getId());
        if (pull != null) {
            pull.stop().accept(Status.CANCELLED.withDescription("transfer terminated"));
        }
        latest.remove(process.getId());
        bulkSinks.terminate(process.getId());
        recordSinks.terminate(process.getId());
        closeQuietly(pulledStreams.remove(process.getId()));
        var path = destinationPath(process);
        if (path != null && isGrpc(process)) {
            // a terminated transfer never resumes: its partial file goes (the records a stream delivered stay)
            try {
                Files.deleteIfExists(BulkReceiver.partialFileOf(path));
                FileRecordSink.forget(path);
            } catch (IOException e) {
                monitor.warning("cannot remove the partial file of transfer " + process.getId());
            }
        }
    }

    @Override
    public void completed(TransferProcess process) {
        running.remove(process.getId());
        latest.remove(process.getId());
        bulkSinks.remove(process.getId());
        closeQuietly(recordSinks.value(process.getId()));
        recordSinks.remove(process.getId());
        closeQuietly(pulledStreams.remove(process.getId()));
        var path = destinationPath(process);
        if (path != null && isGrpc(process)) {
            try {
                FileRecordSink.forget(path);
            } catch (IOException e) {
                monitor.warning("cannot remove the record position of transfer " + process.getId());
            }
        }
    }

    private static boolean isGrpc(TransferProcess process) {
        return process.getType() == TransferProcess.Type.CONSUMER && (GrpcStreamAddresses.PULL.equals(process.getTransferType())
                || GrpcStreamAddresses.PUSH.equals(process.getTransferType()));
    }

    /**
     * Stops the running pulls because this connector shuts down: their processes stay STARTED and their partial files
     * and record positions stay, so that they resume when it starts again; nothing is reported to the control plane.
     */
    public void shutdown() {
        for (var processId : running.keySet()) {
            var pull = running.remove(processId);
            if (pull != null) {
                pull.stop().accept(Status.UNAVAILABLE.withDescription("the connector is shutting down"));
            }
        }
    }

    private void finished(String processId, Pull pull, TransferOutcome outcome, boolean bulk) {
        // only the pull that is still the process's current one reports; a stopped or superseded one is silent
        if (!running.remove(processId, pull)) {
            // suspended or terminated meanwhile: the control plane already knows
            return;
        }
        if (bulk && outcome.succeeded()) {
            monitor.info("GrpcStream-PULL of %s complete: %d bytes, SHA-256 %s".formatted(processId, outcome.bytes(), outcome.sha256Hex()));
            var completed = processes.get().complete(processId);
            if (completed.failed()) {
                monitor.warning("cannot complete transfer %s: %s".formatted(processId, completed.getFailureDetail()));
            }
            return;
        }
        var code = outcome.status().getCode();
        if (code == Status.Code.FAILED_PRECONDITION || code == Status.Code.CANCELLED || code == Status.Code.OK) {
            // the provider suspended or ended it: its control plane tells ours
            return;
        }
        fail(processId, "gRPC transfer failed: " + outcome.describe());
    }

    private void fail(String processId, String reason) {
        monitor.warning("transfer %s: %s".formatted(processId, reason));
        var terminated = processes.get().terminate(new TerminateTransferCommand(processId, reason));
        if (terminated.failed()) {
            monitor.warning("cannot terminate transfer %s: %s".formatted(processId, terminated.getFailureDetail()));
        }
    }

    /** A running pull: how to stop it and when it has ended. */
    private record Pull(Consumer<Status> stop, CompletableFuture<Void> done) { }

    private static Path destinationPath(TransferProcess process) {
        var value = process.getPrivateProperties() == null ? null : process.getPrivateProperties().get(GrpcStreamAddresses.DESTINATION_PATH);
        return value == null ? null : Path.of(value.toString());
    }

    private void closeQuietly(RecordSink sink) {
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException e) {
                monitor.warning("cannot close a record sink: " + e.getMessage());
            }
        }
    }
}
