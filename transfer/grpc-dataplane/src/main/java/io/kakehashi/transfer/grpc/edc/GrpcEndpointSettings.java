package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.runtime.metamodel.annotation.Settings;
import org.eclipse.edc.spi.EdcException;

/**
 * Where the gRPC data-plane endpoint binds, how peers reach it and whether it speaks TLS. Read once at start by
 * {@link GrpcTransferServerExtension}; {@link #validated()} fails naming the key. Immutable.
 */
@Settings
public record GrpcEndpointSettings(
        @Setting(key = GrpcEndpointSettings.HOST, required = false,
                description = "Address the gRPC data-plane endpoint binds to; defaults to kakehashi.web.host, which every port follows")
        String host,
        @Setting(key = GrpcBindHost.WEB_HOST, defaultValue = "127.0.0.1", description = "Address every port of the connector binds to")
        String webHost,
        @Setting(key = GrpcEndpointSettings.PORT, defaultValue = "8185", description = "Port of the gRPC data-plane endpoint")
        int port,
        @Setting(key = GrpcEndpointSettings.PUBLIC_HOST, required = false,
                description = "Host peers use to reach the gRPC endpoint (in EDRs and PUSH destinations); defaults to the bind host")
        String publicHost,
        @Setting(key = GrpcEndpointSettings.PUBLIC_PORT, required = false,
                description = "Port peers use to reach the gRPC endpoint when it differs from the bound one (a port mapping); defaults to the port")
        Integer publicPort,
        @Setting(key = GrpcEndpointSettings.TLS, defaultValue = "true",
                description = "TLS on the gRPC endpoint, with a certificate made at first start and pinned by peers through its SHA-256")
        boolean tls,
        @Setting(key = GrpcEndpointSettings.TLS_ALIAS, defaultValue = "kakehashi-grpc-tls",
                description = "Vault alias prefix of the gRPC TLS key (<alias>-key) and certificate (<alias>-cert)")
        String tlsAlias) {

    public static final String HOST = "kakehashi.transfer.grpc.host";
    public static final String PORT = "kakehashi.transfer.grpc.port";
    public static final String PUBLIC_HOST = "kakehashi.transfer.grpc.public-host";
    public static final String PUBLIC_PORT = "kakehashi.transfer.grpc.public-port";
    public static final String TLS = "kakehashi.transfer.grpc.tls.enabled";
    public static final String TLS_ALIAS = "kakehashi.transfer.grpc.tls.alias";

    /** These settings when both ports are port numbers; else an exception that names the key. */
    public GrpcEndpointSettings validated() {
        if (port < 1 || port > 65535) {
            throw new EdcException("%s must be a port number, was %d".formatted(PORT, port));
        }
        var advertised = advertisedPort();
        if (advertised < 1 || advertised > 65535) {
            throw new EdcException("%s must be a port number, was %d".formatted(PUBLIC_PORT, advertised));
        }
        return this;
    }

    /** The address the endpoint binds to ({@link GrpcBindHost}); an exception that names the key when it is not usable. */
    public String bindHost() {
        return GrpcBindHost.resolve(host, webHost, publicHost).orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
    }

    /** The host peers are told: the public host, or the bind host. */
    public String advertisedHost(String bindHost) {
        return publicHost == null || publicHost.isBlank() ? bindHost : publicHost;
    }

    /** The port peers are told: the public port, or the port. */
    public int advertisedPort() {
        return publicPort == null ? port : publicPort;
    }
}
