package io.kakehashi.core.security;

import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSink;
import org.eclipse.edc.connector.dataplane.spi.pipeline.StreamResult;
import org.eclipse.edc.connector.dataplane.spi.pipeline.TransferService;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.eclipse.edc.spi.types.domain.transfer.FlowType;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;

import java.util.concurrent.CompletableFuture;

/**
 * The data plane's second line: registered above every other transfer service, it takes each PUSH data flow whose
 * destination breaks the counterparty rules ({@link CounterpartyDestinationRegistry}) and refuses it, so no sink is
 * ever built from such an address (one stored before the rules existed, or one sent to the control API). Flows with a
 * valid destination, or none, go to the services below it. Stateless apart from the registry; thread-safe.
 */
public class DestinationGuardTransferService implements TransferService {

    /** Above the gRPC (10) and compute (20) services and EDC's pipeline (0). */
    public static final int PRIORITY = Integer.MAX_VALUE;

    private final DataAddressValidatorRegistry destinations;

    public DestinationGuardTransferService(DataAddressValidatorRegistry destinations) {
        this.destinations = destinations;
    }

    @Override
    public boolean canHandle(DataFlowStartMessage request) {
        return refusal(request) != null;
    }

    @Override
    public Result<Void> validate(DataFlowStartMessage request) {
        var refusal = refusal(request);
        return refusal == null ? Result.success() : Result.failure(refusal);
    }

    @Override
    public CompletableFuture<StreamResult<Object>> transfer(DataFlowStartMessage request) {
        return CompletableFuture.completedFuture(StreamResult.error(String.valueOf(refusal(request))));
    }

    @Override
    public CompletableFuture<StreamResult<Object>> transfer(DataFlowStartMessage request, DataSink sink) {
        return transfer(request);
    }

    @Override
    public StreamResult<Void> terminate(DataFlow dataFlow) {
        // it never started anything
        return StreamResult.success();
    }

    @Override
    public void closeAll() {
    }

    private String refusal(DataFlowStartMessage request) {
        var destination = request.getDestinationDataAddress();
        // a PULL flow builds no sink from its destination (the control plane fills in a bare one of the transfer
        // type's destination type); taking it here would take its suspend and terminate from the service that runs it
        if (destination == null || request.getFlowType() != FlowType.PUSH) {
            return null;
        }
        var result = destinations.validateDestination(destination);
        return result.succeeded() ? null : "refused destination: " + String.join("; ", result.getFailureMessages());
    }
}
