package io.kakehashi.transfer.spi;

import java.util.function.Supplier;

/**
 * Outbound bulk pushes to a peer's sink (a {@code GrpcStream} sink another connector opened with its
 * {@link PushSinks}), run by the data plane with its channels, settings and meters, so that other extensions push
 * without knowing the transport. The data plane registers its implementation as an EDC service. Implementations are
 * thread-safe.
 */
public interface BulkPushes {

    /**
     * A push of {@code source} to the sink {@code transferId} at {@code endpoint}; nothing moves before
     * {@link OutboundPush#run()}. Its progress is metered as {@code meteredAs}.
     *
     * @param token the sink's token, asked again before each call (a refreshed one replaces it)
     */
    OutboundPush push(GrpcStreamAddresses.Endpoint endpoint, String transferId, Supplier<String> token, BulkSource source,
                      String meteredAs, PushRetry retry);
}
