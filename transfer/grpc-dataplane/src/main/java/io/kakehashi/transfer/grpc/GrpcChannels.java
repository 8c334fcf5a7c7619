package io.kakehashi.transfer.grpc;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import io.kakehashi.transfer.grpc.tls.GrpcTlsIdentity;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Channels to peers' gRPC endpoints, one per host, port and pinned fingerprint, shared by the transfers
 * that go there (HTTP/2 multiplexes their calls). A TLS endpoint is trusted only with the certificate its
 * fingerprint names. Thread-safe.
 */
public final class GrpcChannels implements AutoCloseable {

    private static final int FLOW_CONTROL_WINDOW = 4 * 1024 * 1024;
    /** How often a channel with live calls pings its peer; the server permits pings this often. */
    public static final Duration KEEPALIVE = Duration.ofSeconds(20);
    /** How long a ping may go unanswered before the connection counts as dead. */
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    private final Map<GrpcStreamAddresses.Endpoint, ManagedChannel> channels = new ConcurrentHashMap<>();

    public ManagedChannel channelTo(GrpcStreamAddresses.Endpoint endpoint) {
        return channels.computeIfAbsent(new GrpcStreamAddresses.Endpoint(endpoint.host(), endpoint.port(), false,
                endpoint.certificateSha256()), key -> {
                    var credentials = key.tls() ? GrpcTlsIdentity.pinnedChannelCredentials(key.certificateSha256())
                            : InsecureChannelCredentials.create();
                    return NettyChannelBuilder.forAddress(key.host(), key.port(), credentials)
                            .flowControlWindow(FLOW_CONTROL_WINDOW)
                            // a link that dies silently (no RST, no FIN) ends the calls on it within about
                            // KEEPALIVE + KEEPALIVE_TIMEOUT, so the transfer resumes instead of waiting forever
                            .keepAliveTime(KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
                            .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .build();
                });
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (var channel : channels.values()) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
