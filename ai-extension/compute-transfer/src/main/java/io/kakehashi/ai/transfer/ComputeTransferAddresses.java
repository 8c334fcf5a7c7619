package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobDescriptionJson;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;

/**
 * The transfer type that carries a compute job and the destination address a consumer sends with it. Stateless.
 *
 * <p>A compute job travels as a DSP transfer process of the type {@value #PUSH}. Its {@code dataDestination} is a
 * {@value #TYPE} address with the job description ({@link #JOB}: the JSON of {@link JobDescriptionJson}, the model
 * in base64) and the consumer's gRPC sink the result goes to ({@link GrpcStreamAddresses#ENDPOINT},
 * {@link GrpcStreamAddresses#AUTHORIZATION}, {@link GrpcStreamAddresses#TRANSFER_ID}), as a {@code GrpcStream-PUSH}
 * destination has them.
 */
public final class ComputeTransferAddresses {

    /** The destination type, the first half of the transfer type. */
    public static final String TYPE = "KakehashiCompute";
    public static final String PUSH = TYPE + "-PUSH";
    public static final String NAMESPACE = "https://w3id.org/kakehashi/compute/";
    /** On the destination: the job description's JSON. */
    public static final String JOB = NAMESPACE + "job";
    /** On the destination, optional: the token of the consumer's progress sink (same endpoint as the result's). */
    public static final String PROGRESS_AUTHORIZATION = NAMESPACE + "progressAuthorization";
    /** On the destination, optional: the transfer id of the consumer's progress sink. */
    public static final String PROGRESS_TRANSFER_ID = NAMESPACE + "progressTransferId";

    private ComputeTransferAddresses() {
    }

    /** The destination a consumer sends: the job and the sink ({@code GrpcPushSinks}' answer) its result goes to. */
    public static DataAddress destination(JobDescription job, DataAddress sink) {
        return destination(job, sink, null);
    }

    /**
     * The destination with, besides, the sink the provider pushes progress reports to while the job runs (a second
     * sink of the same endpoint; null for none).
     */
    public static DataAddress destination(JobDescription job, DataAddress sink, DataAddress progressSink) {
        var builder = DataAddress.Builder.newInstance()
                .type(TYPE)
                .property(JOB, JobDescriptionJson.write(job))
                .property(GrpcStreamAddresses.ENDPOINT, sink.getStringProperty(GrpcStreamAddresses.ENDPOINT))
                .property(GrpcStreamAddresses.AUTHORIZATION, sink.getStringProperty(GrpcStreamAddresses.AUTHORIZATION))
                .property(GrpcStreamAddresses.TRANSFER_ID, sink.getStringProperty(GrpcStreamAddresses.TRANSFER_ID));
        if (progressSink != null) {
            builder.property(PROGRESS_AUTHORIZATION, progressSink.getStringProperty(GrpcStreamAddresses.AUTHORIZATION))
                    .property(PROGRESS_TRANSFER_ID, progressSink.getStringProperty(GrpcStreamAddresses.TRANSFER_ID));
        }
        return builder.build();
    }

    /** What the provider reads from a destination: each part checked, a failure names what is wrong. */
    public static Result<Destination> parse(DataAddress destination) {
        if (destination == null || !TYPE.equals(destination.getType())) {
            return Result.failure("a compute job needs a %s destination".formatted(TYPE));
        }
        var json = destination.getStringProperty(JOB);
        if (json == null || json.isBlank()) {
            return Result.failure("the %s destination carries no job description (%s)".formatted(TYPE, JOB));
        }
        var job = JobDescriptionJson.parse(json);
        if (job.failed()) {
            return Result.failure(job.getFailureDetail());
        }
        GrpcStreamAddresses.Endpoint endpoint;
        try {
            endpoint = GrpcStreamAddresses.Endpoint.parse(String.valueOf(destination.getStringProperty(GrpcStreamAddresses.ENDPOINT)));
        } catch (IllegalArgumentException e) {
            return Result.failure("the %s destination has no usable result endpoint: %s".formatted(TYPE, e.getMessage()));
        }
        var token = destination.getStringProperty(GrpcStreamAddresses.AUTHORIZATION);
        var transferId = destination.getStringProperty(GrpcStreamAddresses.TRANSFER_ID);
        if (token == null || token.isBlank() || transferId == null || transferId.isBlank()) {
            return Result.failure("the %s destination needs the sink's authorization and transfer id".formatted(TYPE));
        }
        var progressToken = destination.getStringProperty(PROGRESS_AUTHORIZATION);
        var progressTransferId = destination.getStringProperty(PROGRESS_TRANSFER_ID);
        var noProgressToken = progressToken == null || progressToken.isBlank();
        var noProgressTransfer = progressTransferId == null || progressTransferId.isBlank();
        if (noProgressToken != noProgressTransfer) {
            return Result.failure("the %s destination's progress sink needs both %s and %s".formatted(TYPE, PROGRESS_AUTHORIZATION, PROGRESS_TRANSFER_ID));
        }
        if (!noProgressTransfer && progressTransferId.equals(transferId)) {
            return Result.failure("the %s destination's progress sink must not be its result sink".formatted(TYPE));
        }
        return Result.success(new Destination(job.getContent(), endpoint, token, transferId,
                noProgressToken ? null : progressToken, noProgressTransfer ? null : progressTransferId));
    }

    /**
     * A parsed destination: the job, where and how its result is pushed, and (both null when the consumer asked for
     * none) the token and transfer id of the sink its progress reports go to.
     */
    public record Destination(JobDescription job, GrpcStreamAddresses.Endpoint endpoint, String token, String sinkTransferId,
                              String progressToken, String progressTransferId) {

        public boolean reportsProgress() {
            return progressTransferId != null;
        }
    }
}
