package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import org.eclipse.edc.spi.types.domain.DataAddress;

/**
 * This connector's gRPC endpoint as peers reach it. Immutable and thread-safe.
 *
 * @param host the host peers connect to
 * @param port the port
 * @param certificateSha256 the fingerprint peers pin, or null when TLS is off
 */
public record OwnEndpoint(String host, int port, String certificateSha256) {

    public String url(boolean stream) {
        return GrpcStreamAddresses.endpoint(host, port, stream, certificateSha256);
    }

    /** The URL for the data a source address describes. */
    public String urlFor(DataAddress source) {
        return url(GrpcStreamAddresses.isStream(source));
    }
}
