package io.kakehashi.transfer.grpc;

import io.grpc.Status;
import org.eclipse.edc.spi.result.ServiceFailure;

/** Maps EDC's expected failures onto gRPC statuses. Stateless. */
public final class GrpcStatuses {

    private GrpcStatuses() {
    }

    /** NOT_FOUND for not found, FAILED_PRECONDITION for a conflict, PERMISSION_DENIED for unauthorized, INVALID_ARGUMENT for bad requests. */
    public static Status of(ServiceFailure failure) {
        var status = switch (failure.getReason()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.FAILED_PRECONDITION;
            case UNAUTHORIZED -> Status.PERMISSION_DENIED;
            case BAD_REQUEST -> Status.INVALID_ARGUMENT;
            default -> Status.INTERNAL;
        };
        return status.withDescription(failure.getFailureDetail());
    }
}
