package io.kakehashi.transfer.spi;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.nio.file.Path;

/**
 * Bulk sinks on this connector's data-plane endpoint for other extensions' transfer types (a compute job's result and
 * progress): a local file becomes the sink of a transfer, and the answer is what a provider needs to push there. The
 * data plane registers its implementation as an EDC service. Implementations are thread-safe.
 */
public interface PushSinks {

    /**
     * Registers {@code file} as the bulk sink of {@code transferId} under {@code agreementId}. The answer is a
     * {@value GrpcStreamAddresses#TYPE} address with {@link GrpcStreamAddresses#ENDPOINT},
     * {@link GrpcStreamAddresses#AUTHORIZATION} (a token scoped to the transfer and its agreement) and
     * {@link GrpcStreamAddresses#TRANSFER_ID}; it carries no local path. A failure says why no token could be issued.
     */
    Result<DataAddress> openBulkSink(String transferId, String agreementId, Path file);

    /** Ends a sink for good: live calls end, later ones are refused, and its tokens are revoked. */
    void close(String transferId);
}
