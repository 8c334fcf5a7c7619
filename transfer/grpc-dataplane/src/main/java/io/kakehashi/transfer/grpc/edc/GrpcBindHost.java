package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.spi.result.Result;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address the gRPC endpoint binds to: {@code kakehashi.transfer.grpc.host} when it is set, otherwise the
 * connector's {@code kakehashi.web.host}, which every other port follows too — so making the connector reachable is
 * one setting, and the gRPC port is never left behind on loopback while the DSP port has moved. Stateless and
 * thread-safe.
 */
final class GrpcBindHost {

    static final String WEB_HOST = "kakehashi.web.host";

    private GrpcBindHost() {
    }

    /**
     * Resolves the bind address; fails, naming the setting, when it is not a host name or IP address, or when it is
     * a wildcard address (0.0.0.0, ::) and no public host says where peers reach the endpoint — peers would be told
     * to connect to the wildcard, and the TLS certificate would be made for it.
     */
    static Result<String> resolve(String grpcHost, String webHost, String publicHost) {
        var own = grpcHost != null && !grpcHost.isBlank();
        var setting = own ? GrpcEndpointSettings.HOST : WEB_HOST;
        var value = (own ? grpcHost : webHost == null ? "" : webHost).trim();
        if (value.isEmpty()) {
            return Result.failure("Invalid setting '%s': the address is empty".formatted(setting));
        }
        if (value.contains("/") || value.contains(" ") || value.contains("://")) {
            return Result.failure("Invalid setting '%s': '%s' is not a host name or IP address".formatted(setting, value));
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(value);
        } catch (UnknownHostException | SecurityException e) {
            return Result.failure("Invalid setting '%s': '%s' does not resolve to an address".formatted(setting, value));
        }
        if (address.isAnyLocalAddress() && (publicHost == null || publicHost.isBlank())) {
            return Result.failure("Missing setting '%s': the gRPC endpoint binds to the wildcard address %s (from '%s'), so peers need the host to reach it at"
                    .formatted(GrpcEndpointSettings.PUBLIC_HOST, value, setting));
        }
        return Result.success(value);
    }
}
