package io.kakehashi.transfer.grpc;

import io.grpc.Status;

import java.util.HexFormat;

/**
 * How a transfer run by this data plane ended. Immutable and thread-safe.
 *
 * @param status OK, or the status that ended it (its code says why: RESOURCE_EXHAUSTED for a quota,
 *               DATA_LOSS for a checksum mismatch, FAILED_PRECONDITION for a suspended transfer, ...)
 * @param bytes bulk: the size of the content; real-time: payload bytes delivered
 * @param messages bulk: 0; real-time: records delivered
 * @param sha256 bulk: the checked SHA-256 of the content, else null
 * @param attempts how many calls it took
 */
public record TransferOutcome(Status status, long bytes, long messages, byte[] sha256, int attempts) {

    public boolean succeeded() {
        return status.isOk();
    }

    /** The SHA-256 in lower-case hex, or null. */
    public String sha256Hex() {
        return sha256 == null ? null : HexFormat.of().formatHex(sha256);
    }

    /** The status as one line: {@code CODE: description}. */
    public String describe() {
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
}
