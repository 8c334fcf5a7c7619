package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.spi.BulkSource;
import io.kakehashi.transfer.grpc.stream.RecordStream;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceService;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.util.function.Function;

import static org.eclipse.edc.spi.constants.CoreConstants.EDC_NAMESPACE;

/**
 * The EDR side of {@code GrpcStream-PULL} on a provider's data plane. Registered for the {@code GrpcStream}
 * type it makes EDC advertise the transfer type and routes the revocation of a flow's tokens here (EDC revokes
 * on suspend and terminate): the flow's live gRPC calls end at once, then the tokens go. Registered for the
 * record-stream source type it also creates the EDR of a real-time flow (an {@code HttpData} source's EDR is
 * made by EDC's own service through the endpoint generator). Thread-safe.
 */
public final class GrpcEndpointDataReferenceService implements EndpointDataReferenceService {

    private final TransferTokens tokens;
    private final OwnEndpoint endpoint;
    private final TransferRegistry<BulkSource> bulkSources;
    private final TransferRegistry<RecordStream> recordStreams;
    private final Function<DataAddress, Result<Void>> recordSourceCheck;

    /**
     * @param recordSourceCheck whether a real-time source can be served now; a flow whose source cannot is refused at its
     *                          start with the check's reason
     */
    public GrpcEndpointDataReferenceService(TransferTokens tokens, OwnEndpoint endpoint, TransferRegistry<BulkSource> bulkSources,
                                            TransferRegistry<RecordStream> recordStreams,
                                            Function<DataAddress, Result<Void>> recordSourceCheck) {
        this.recordSourceCheck = recordSourceCheck;
        this.tokens = tokens;
        this.endpoint = endpoint;
        this.bulkSources = bulkSources;
        this.recordStreams = recordStreams;
    }

    @Override
    public Result<DataAddress> createEndpointDataReference(DataFlow dataFlow) {
        if (GrpcStreamAddresses.isStream(dataFlow.getActualSource())) {
            var servable = recordSourceCheck.apply(dataFlow.getActualSource());
            if (servable.failed()) {
                return servable.mapFailure();
            }
        }
        return tokens.issue(dataFlow.getId(), dataFlow.getAgreementId(), dataFlow.getParticipantId(), dataFlow.getActualSource())
                .map(token -> DataAddress.Builder.newInstance()
                        .type(GrpcStreamAddresses.TYPE)
                        .property(GrpcStreamAddresses.ENDPOINT, endpoint.urlFor(dataFlow.getActualSource()))
                        .property(EDC_NAMESPACE + "endpointType", GrpcStreamAddresses.TYPE)
                        .property(GrpcStreamAddresses.AUTHORIZATION, token)
                        .property(EDC_NAMESPACE + "authType", "bearer")
                        .build());
    }

    @Override
    public ServiceResult<Void> revokeEndpointDataReference(String flowId, String reason) {
        // suspended or terminated: the store says which when the consumer comes back; nothing passes meanwhile
        var status = Status.FAILED_PRECONDITION.withDescription("transfer %s was stopped by the provider".formatted(flowId));
        bulkSources.stopAndForget(flowId, status);
        recordStreams.stopAndForget(flowId, status);
        tokens.revoke(flowId, reason);
        return ServiceResult.success();
    }
}
