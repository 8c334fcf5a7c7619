package io.kakehashi.transfer.grpc;

import io.grpc.Status;

/** Which call endings a transfer retries from its last durable position. Stateless. */
public final class RetryableStatuses {

    private RetryableStatuses() {
    }

    /**
     * A dropped connection (UNAVAILABLE), a call that ran out of time (DEADLINE_EXCEEDED), an aborted call, or a
     * stream reset by the transport (INTERNAL/UNKNOWN without a description from our own services) is retried;
     * refusals (authentication, permission, not found, quota, checksum, suspension) are not.
     */
    public static boolean isRetryable(Status status) {
        return switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED -> true;
            default -> false;
        };
    }
}
