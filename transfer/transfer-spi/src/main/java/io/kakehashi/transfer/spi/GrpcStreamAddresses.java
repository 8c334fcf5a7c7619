package io.kakehashi.transfer.spi;

import org.eclipse.edc.spi.types.domain.DataAddress;

import java.net.URI;
import java.util.Locale;

import static org.eclipse.edc.spi.constants.CoreConstants.EDC_NAMESPACE;

/**
 * The names the gRPC data plane uses in EDC: transfer types, data-address types and properties, private
 * properties of a consumer's transfer request, and the endpoint URL form. Stateless.
 *
 * <p>An endpoint is {@code grpc://host:port/<mode>} in plain text or {@code grpcs://host:port/<mode>?sha256=<hex>}
 * with TLS, where mode is {@code bulk} or {@code stream} and the hex is the SHA-256 fingerprint of the peer's
 * certificate, which the caller pins.
 */
public final class GrpcStreamAddresses {

    /** The destination type, the first half of the transfer types. */
    public static final String TYPE = "GrpcStream";
    public static final String PULL = TYPE + "-PULL";
    public static final String PUSH = TYPE + "-PUSH";
    /** A source data-address type: a real-time record source registered by name. */
    public static final String RECORD_STREAM_TYPE = "KakehashiRecordStream";
    public static final String NAMESPACE = "https://w3id.org/kakehashi/transfer/";
    /** On a record-stream source address: the name of the registered record source. */
    public static final String RECORD_SOURCE = NAMESPACE + "recordSource";
    /** On a record-stream source address, instead of a record source: a JSON Lines file followed as it grows. */
    public static final String RECORD_FILE = NAMESPACE + "recordFile";
    /** On a consumer's transfer request (private property): the local file the data goes to. */
    public static final String DESTINATION_PATH = NAMESPACE + "destinationPath";
    /** On a consumer's GrpcStream-PUSH destination: the transfer id the sink knows the data by. */
    public static final String TRANSFER_ID = NAMESPACE + "transferId";
    public static final String ENDPOINT = EDC_NAMESPACE + "endpoint";
    public static final String AUTHORIZATION = EDC_NAMESPACE + "authorization";

    private GrpcStreamAddresses() {
    }

    /** Whether a source address is a real-time stream (else bulk). */
    public static boolean isStream(DataAddress source) {
        return source != null && RECORD_STREAM_TYPE.equals(source.getType());
    }

    public static String endpoint(String host, int port, boolean stream, String certificateSha256) {
        var mode = stream ? "stream" : "bulk";
        return certificateSha256 == null ? "grpc://%s:%d/%s".formatted(host, port, mode)
                : "grpcs://%s:%d/%s?sha256=%s".formatted(host, port, mode, certificateSha256);
    }

    /** A parsed endpoint. */
    public record Endpoint(String host, int port, boolean stream, String certificateSha256) {

        public boolean tls() {
            return certificateSha256 != null;
        }

        /** Parses an endpoint URL; throws IllegalArgumentException when it is not one. */
        public static Endpoint parse(String url) {
            var uri = URI.create(url);
            var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("grpc") && !scheme.equals("grpcs")) {
                throw new IllegalArgumentException("not a gRPC endpoint: " + url);
            }
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("a gRPC endpoint needs a host and a port: " + url);
            }
            String fingerprint = null;
            if (uri.getQuery() != null && uri.getQuery().startsWith("sha256=")) {
                fingerprint = uri.getQuery().substring("sha256=".length());
            }
            if (scheme.equals("grpcs") && fingerprint == null) {
                throw new IllegalArgumentException("a grpcs endpoint needs the certificate's sha256 to pin: " + url);
            }
            return new Endpoint(uri.getHost(), uri.getPort(), "/stream".equals(uri.getPath()), fingerprint);
        }
    }
}
