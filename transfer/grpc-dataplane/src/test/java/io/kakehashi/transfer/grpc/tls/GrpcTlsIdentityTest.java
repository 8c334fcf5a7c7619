package io.kakehashi.transfer.grpc.tls;

import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kakehashi.testfixtures.MapVault;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.GrpcTransferServer;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.BearerToken;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.bulk.BulkTransferService;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.v1.BulkTransferGrpc;
import io.kakehashi.transfer.grpc.v1.OffsetRequest;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcTlsIdentityTest {

    private final MapVault vault = new MapVault();
    private GrpcTransferServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void loadOrCreate_whenCalledAgain_shouldKeepTheSameCertificate() {
        var first = GrpcTlsIdentity.loadOrCreate(vault, "grpc", "127.0.0.1", Clock.systemUTC()).getContent();
        var second = GrpcTlsIdentity.loadOrCreate(vault, "grpc", "127.0.0.1", Clock.systemUTC())
                .orElseThrow(failure -> new AssertionError(failure.getFailureDetail()));

        assertThat(vault.secrets.get("grpc-key")).contains("PRIVATE KEY");
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).hasSize(64);
    }

    @Test
    void pinnedChannel_whenFingerprintMatches_shouldReachTheServerAndOtherwiseNot() throws Exception {
        var identity = GrpcTlsIdentity.loadOrCreate(vault, "grpc", "127.0.0.1", Clock.systemUTC()).getContent();
        var tokens = new TestTokens();
        var sinks = new TransferRegistry<Path>();
        sinks.register("t", Path.of("unused"));
        var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
        server = new GrpcTransferServer("127.0.0.1", 0, identity.serverCredentials(), authorization, List.of(
                new BulkTransferService(authorization, new TransferRegistry<>(), sinks,
                        new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC()), GrpcTransferConfig.defaults(),
                        Clock.systemUTC(), new ConsoleMonitor()))).start();

        var pinned = NettyChannelBuilder.forAddress("127.0.0.1", server.port(),
                GrpcTlsIdentity.pinnedChannelCredentials(identity.fingerprint())).build();
        var stranger = NettyChannelBuilder.forAddress("127.0.0.1", server.port(),
                GrpcTlsIdentity.pinnedChannelCredentials("00".repeat(32))).build();
        try {
            var answer = BulkTransferGrpc.newBlockingStub(pinned).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withCallCredentials(new BearerToken(() -> tokens.issue("t")))
                    .offset(OffsetRequest.newBuilder().setTransferId("t").build());
            assertThat(answer.getOffset()).isZero();

            assertThatThrownBy(() -> BulkTransferGrpc.newBlockingStub(stranger).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withCallCredentials(new BearerToken(() -> tokens.issue("t")))
                    .offset(OffsetRequest.newBuilder().setTransferId("t").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
        } finally {
            pinned.shutdownNow();
            stranger.shutdownNow();
        }
    }
}
