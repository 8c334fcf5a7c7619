package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.grpc.TransferRegistry;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * {@link GrpcPushSinks} over a given sink registry, as the gRPC data plane builds them at each start (its registry
 * in memory), with tokens that are random strings: what the compute tests need to see which sinks a connector has.
 */
public final class TestPushSinks {

    private TestPushSinks() {
    }

    public static GrpcPushSinks over(TransferRegistry<Path> bulkSinks) {
        var tokens = (DataPlaneAccessTokenService) Proxy.newProxyInstance(TestPushSinks.class.getClassLoader(),
                new Class<?>[]{DataPlaneAccessTokenService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "obtainToken" -> Result.success(TokenRepresentation.Builder.newInstance().token(UUID.randomUUID().toString()).build());
                    case "revoke" -> ServiceResult.success();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new GrpcPushSinks(bulkSinks, new TransferTokens(tokens, "ai-vendor", Duration.ofHours(1), Clock.systemUTC()),
                new OwnEndpoint("127.0.0.1", 1, null));
    }
}
