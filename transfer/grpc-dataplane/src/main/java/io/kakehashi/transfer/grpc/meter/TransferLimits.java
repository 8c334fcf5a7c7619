package io.kakehashi.transfer.grpc.meter;

/**
 * The quotas an agreement sets on one transfer. Immutable and thread-safe.
 *
 * @param maxBytes the most payload bytes the transfer may move, or {@link Long#MAX_VALUE} for no limit
 * @param maxMessages the most messages (chunks or records) it may move, or {@link Long#MAX_VALUE} for no limit
 */
public record TransferLimits(long maxBytes, long maxMessages) {

    /** No quota. */
    public static final TransferLimits NONE = new TransferLimits(Long.MAX_VALUE, Long.MAX_VALUE);

    public TransferLimits {
        if (maxBytes < 0 || maxMessages < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }
}
