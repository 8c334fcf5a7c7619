package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.kakehashi.transfer.spi.BulkSource;
import io.kakehashi.transfer.grpc.bulk.ConsentNarrowedSources;
import io.kakehashi.transfer.grpc.bulk.HttpBulkSource;
import io.kakehashi.transfer.grpc.stream.RecordFiles;
import io.kakehashi.transfer.spi.RecordSource;
import io.kakehashi.transfer.grpc.stream.RecordSources;
import io.kakehashi.transfer.grpc.stream.RecordStream;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.spi.types.domain.transfer.FlowType;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.eclipse.edc.connector.dataplane.spi.DataFlowStates.RECEIVED;
import static org.eclipse.edc.connector.dataplane.spi.DataFlowStates.STARTED;
import static org.eclipse.edc.connector.dataplane.spi.DataFlowStates.SUSPENDED;

/**
 * What a provider's data plane serves for a data flow, read from EDC's data-plane store: a PULL flow in
 * STARTED is served, a SUSPENDED one is refused for now, any other is gone. Bulk sources are HTTP resources
 * ({@code HttpData}, read with ranges so transfers resume); real-time sources are named record sources or JSON Lines
 * record files, whose stream (and so its sequence position) is kept per flow across suspensions and closed once the
 * flow has ended (swept at the next start). Thread-safe.
 */
public final class ProviderFlows {

    private final DataPlaneStore store;
    private final RecordSources recordSources;
    private final RecordFiles recordFiles;
    private final Clock clock;
    private final long replayBytes;
    private final SSLSocketFactory sourceTls;
    private final ConsentNarrowedSources consent;
    private final Map<String, RecordStream> streams = new ConcurrentHashMap<>();

    public ProviderFlows(DataPlaneStore store, RecordSources recordSources, RecordFiles recordFiles, Clock clock,
                         long replayBytes) {
        this(store, recordSources, recordFiles, clock, replayBytes, null);
    }

    /** As above, with the socket factory that {@code https} sources are read with (null: the JVM's default trust). */
    public ProviderFlows(DataPlaneStore store, RecordSources recordSources, RecordFiles recordFiles, Clock clock,
                         long replayBytes, SSLSocketFactory sourceTls) {
        this(store, recordSources, recordFiles, clock, replayBytes, sourceTls, null);
    }

    /**
     * As above, with the narrowing of assets that hold personal data to their consented records (null: none; every
     * source is sent as it is).
     */
    public ProviderFlows(DataPlaneStore store, RecordSources recordSources, RecordFiles recordFiles, Clock clock,
                         long replayBytes, SSLSocketFactory sourceTls, ConsentNarrowedSources consent) {
        this.consent = consent;
        this.store = store;
        this.recordSources = recordSources;
        this.recordFiles = recordFiles;
        this.clock = clock;
        this.replayBytes = replayBytes;
        this.sourceTls = sourceTls;
    }

    /** The bulk source of a started PULL flow (the loader of the provider's bulk registry). */
    public ServiceResult<BulkSource> pullBulkSource(String flowId) {
        return pullFlow(flowId).compose(flow -> GrpcStreamAddresses.isStream(flow.getSource())
                ? ServiceResult.notFound("transfer %s is a real-time stream, not a bulk transfer".formatted(flowId))
                : ServiceResult.from(bulkSourceOf(flowId, flow.getAgreementId(), flow.getAssetId(), flow.getSource())));
    }

    /** The record stream of a started PULL flow (the loader of the provider's stream registry). */
    public ServiceResult<RecordStream> pullRecordStream(String flowId) {
        return pullFlow(flowId).compose(flow -> GrpcStreamAddresses.isStream(flow.getSource())
                ? ServiceResult.from(personalStreamRefusal(flow.getAssetId()).compose(x -> recordStreamOf(flowId, flow.getSource())))
                : ServiceResult.notFound("transfer %s is a bulk transfer, not a real-time stream".formatted(flowId)));
    }

    /** A resumable bulk source for a source address. */
    public Result<BulkSource> bulkSourceOf(DataAddress source) {
        if ("HttpData".equals(source.getType())) {
            var baseUrl = source.getStringProperty("baseUrl");
            if (baseUrl == null) {
                return Result.failure("the HttpData source has no baseUrl");
            }
            try {
                return Result.success(new HttpBulkSource(URI.create(baseUrl), source.getStringProperty("contentType"),
                        Duration.ofSeconds(30), sourceTls));
            } catch (IllegalArgumentException e) {
                return Result.failure("the HttpData source's baseUrl is not an http(s) address: " + e.getMessage());
            }
        }
        return Result.failure("no gRPC bulk source for data-address type " + source.getType());
    }

    /**
     * The bulk source a transfer sends: the address's, narrowed to the records whose data subjects consented when the
     * asset holds personal data.
     */
    public Result<BulkSource> bulkSourceOf(String flowId, String agreementId, String assetId, DataAddress source) {
        var plain = bulkSourceOf(source);
        if (plain.failed() || consent == null) {
            return plain;
        }
        sweepNarrowed(flowId);
        // the address's content type says how records are read; without one, the file name in its URL
        var format = source.getStringProperty("contentType") != null ? source.getStringProperty("contentType") : source.getStringProperty("baseUrl");
        return consent.sourceOf(flowId, agreementId, assetId, plain.getContent(), format);
    }

    /**
     * Refuses a real-time stream of an asset that holds personal data: consent is decided on a transfer's whole content
     * (docs/decisions/0045), which an unbounded stream never has.
     */
    public Result<Void> personalStreamRefusal(String assetId) {
        if (consent != null && assetId != null && consent.appliesTo(assetId)) {
            return Result.failure("consent: asset %s holds personal data, which is transferred in bulk only, never as a real-time stream".formatted(assetId));
        }
        return Result.success();
    }

    /** Deletes the narrowed copies of transfers that have ended (not started, suspended or received, or gone). */
    private void sweepNarrowed(String current) {
        for (var flowId : consent.transfers()) {
            var flow = flowId.equals(current) ? null : store.findById(flowId);
            if (!flowId.equals(current) && (flow == null || (flow.getState() != STARTED.code() && flow.getState() != SUSPENDED.code()
                    && flow.getState() != RECEIVED.code()))) {
                consent.forget(flowId);
            }
        }
    }

    /** The flow's record stream, made at its first start and kept until {@link #ended(String)}. */
    public Result<RecordStream> recordStreamOf(String flowId, DataAddress source) {
        sweep();
        var failure = new String[1];
        // made inside computeIfAbsent: a second source for the same flow would write the same positions file
        var stream = streams.computeIfAbsent(flowId, id -> {
            var file = source.getStringProperty(GrpcStreamAddresses.RECORD_FILE);
            Result<RecordSource> created = file != null ? recordFiles.open(flowId, file)
                    : recordSources.create(source.getStringProperty(GrpcStreamAddresses.RECORD_SOURCE), source);
            if (created.failed()) {
                failure[0] = created.getFailureDetail();
                return null;
            }
            return new RecordStream(created.getContent(), replayBytes, clock);
        });
        if (stream == null) {
            return Result.failure(failure[0]);
        }
        return Result.success(stream);
    }

    /**
     * Whether a real-time source address can be served now (a transfer's start): its record source is registered, or
     * its record file is inside the served directory and exists.
     */
    public Result<Void> checkRecordSource(DataAddress source) {
        var file = source.getStringProperty(GrpcStreamAddresses.RECORD_FILE);
        if (file != null) {
            return recordFiles.check(file).mapEmpty();
        }
        var name = source.getStringProperty(GrpcStreamAddresses.RECORD_SOURCE);
        return recordSources.contains(name) ? Result.success() : Result.failure("no record source named " + name);
    }

    /** Forgets a flow's stream (terminated or completed) and closes its source. */
    public void ended(String flowId) {
        var stream = streams.remove(flowId);
        if (stream != null) {
            stream.close();
            try {
                recordFiles.forget(flowId);
            } catch (IOException ignored) {
                // a stale positions file is only read by a transfer with the same id, which has ended
            }
        }
    }

    /** Closes the streams of flows that ended (terminated, completed, failed or gone from the store). */
    private void sweep() {
        for (var flowId : streams.keySet()) {
            var flow = store.findById(flowId);
            if (flow == null || (flow.getState() != STARTED.code() && flow.getState() != SUSPENDED.code()
                    && flow.getState() != RECEIVED.code())) {
                ended(flowId);
            }
        }
    }

    private ServiceResult<DataFlow> pullFlow(String flowId) {
        var flow = store.findById(flowId);
        if (flow == null || flow.getTransferType() == null || flow.getTransferType().flowType() != FlowType.PULL
                || !GrpcStreamAddresses.TYPE.equals(flow.getTransferType().destinationType())) {
            return ServiceResult.notFound("unknown transfer " + flowId);
        }
        if (flow.getState() == STARTED.code()) {
            return ServiceResult.success(flow);
        }
        if (flow.getState() == SUSPENDED.code()) {
            return ServiceResult.conflict("transfer %s is suspended".formatted(flowId));
        }
        return ServiceResult.conflict("transfer %s has ended".formatted(flowId));
    }
}
