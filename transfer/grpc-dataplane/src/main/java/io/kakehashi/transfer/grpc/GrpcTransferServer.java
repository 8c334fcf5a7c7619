package io.kakehashi.transfer.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC endpoint of the data plane on Netty (shaded, no native libraries), bound to one address, every
 * service behind the transfer authorization. Not thread-safe: start and stop from one thread.
 */
public final class GrpcTransferServer {

    private static final int FLOW_CONTROL_WINDOW = 4 * 1024 * 1024;
    private final Server server;

    /**
     * @param credentials TLS credentials, or null for plain text
     */
    public GrpcTransferServer(String host, int port, ServerCredentials credentials, TransferAuthorization authorization,
                              List<BindableService> services) {
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port),
                        credentials == null ? InsecureServerCredentials.create() : credentials)
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                // a peer that keeps a call open without reading is held by flow control; idle connections go
                .maxConnectionIdle(10, TimeUnit.MINUTES)
                // clients ping every GrpcChannels.KEEPALIVE while they have calls (allowed, not a ping flood); the
                // server pings too, so a silently dead link ends its calls here as well
                .permitKeepAliveTime(GrpcChannels.KEEPALIVE.toSeconds() / 2, TimeUnit.SECONDS)
                .keepAliveTime(GrpcChannels.KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
                .keepAliveTimeout(GrpcChannels.KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        services.forEach(service -> builder.addService(ServerInterceptors.intercept(service, authorization)));
        this.server = builder.build();
    }

    public GrpcTransferServer start() throws IOException {
        server.start();
        return this;
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }

    public void stop() {
        stop(() -> { });
    }

    /**
     * Stops taking new calls, then runs {@code endLiveCalls} (which ends the live ones with the status peers should see)
     * and waits up to 5 s for them to end before cutting what is left.
     */
    public void stop(Runnable endLiveCalls) {
        server.shutdown();
        endLiveCalls.run();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
