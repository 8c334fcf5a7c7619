package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.PushSinks;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import io.kakehashi.transfer.grpc.TransferRegistry;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.nio.file.Path;

/**
 * Bulk sinks of this connector's gRPC endpoint for other extensions' transfer types (the compute jobs' results):
 * a local file becomes the sink of a transfer, and the answer is what a provider needs to push there — the
 * endpoint, a token scoped to the transfer and its agreement, and the transfer id — as {@code GrpcStream-PUSH}'s
 * consumer side does it for its own processes. The sink follows the consumer's transfer process like those:
 * terminated or completed, it takes nothing more. Thread-safe.
 */
public final class GrpcPushSinks implements PushSinks {

    private final TransferRegistry<Path> bulkSinks;
    private final TransferTokens tokens;
    private final OwnEndpoint endpoint;

    GrpcPushSinks(TransferRegistry<Path> bulkSinks, TransferTokens tokens, OwnEndpoint endpoint) {
        this.bulkSinks = bulkSinks;
        this.tokens = tokens;
        this.endpoint = endpoint;
    }

    /**
     * Registers {@code file} as the bulk sink of {@code transferId} under {@code agreementId}; the answer is a
     * {@code GrpcStream} address with {@link GrpcStreamAddresses#ENDPOINT}, {@link GrpcStreamAddresses#AUTHORIZATION}
     * and {@link GrpcStreamAddresses#TRANSFER_ID}, which carries no local path.
     */
    @Override
    public Result<DataAddress> openBulkSink(String transferId, String agreementId, Path file) {
        var local = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).property("path", file.toString()).build();
        var token = tokens.issue(transferId, agreementId, null, local);
        if (token.failed()) {
            return Result.failure("cannot issue the sink token of transfer %s: %s".formatted(transferId, token.getFailureDetail()));
        }
        bulkSinks.register(transferId, file);
        return Result.success(DataAddress.Builder.newInstance()
                .type(GrpcStreamAddresses.TYPE)
                .property(GrpcStreamAddresses.ENDPOINT, endpoint.url(false))
                .property(GrpcStreamAddresses.AUTHORIZATION, token.getContent())
                .property(GrpcStreamAddresses.TRANSFER_ID, transferId)
                .build());
    }

    /** Ends a sink for good: live calls end, later ones are refused, and its tokens are revoked. */
    @Override
    public void close(String transferId) {
        bulkSinks.terminate(transferId);
        tokens.revoke(transferId, "sink closed");
    }
}
