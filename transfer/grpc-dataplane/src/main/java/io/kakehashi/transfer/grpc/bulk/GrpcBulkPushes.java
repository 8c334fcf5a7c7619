package io.kakehashi.transfer.grpc.bulk;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.spi.BulkPushes;
import io.kakehashi.transfer.spi.BulkSource;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import io.kakehashi.transfer.spi.OutboundPush;
import io.kakehashi.transfer.spi.PushOutcome;
import io.kakehashi.transfer.spi.PushRetry;
import org.eclipse.edc.spi.monitor.Monitor;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * {@link BulkPushes} over gRPC: each push is a {@link BulkPush} on the data plane's shared channels, with its settings
 * (the retry overridden as the caller asks) and a meter of its own. Thread-safe.
 */
public final class GrpcBulkPushes implements BulkPushes {

    private final GrpcChannels channels;
    private final TransferMeters meters;
    private final GrpcTransferConfig config;
    private final Clock clock;
    private final Monitor monitor;

    public GrpcBulkPushes(GrpcChannels channels, TransferMeters meters, GrpcTransferConfig config, Clock clock, Monitor monitor) {
        this.channels = channels;
        this.meters = meters;
        this.config = config;
        this.clock = clock;
        this.monitor = monitor;
    }

    @Override
    public OutboundPush push(GrpcStreamAddresses.Endpoint endpoint, String transferId, Supplier<String> token, BulkSource source,
                             String meteredAs, PushRetry retry) {
        var push = new BulkPush(channels.channelTo(endpoint), transferId, token, source, meters.start(meteredAs), configFor(retry), clock, monitor);
        return new OutboundPush() {
            @Override
            public PushOutcome run() {
                var outcome = push.run();
                return new PushOutcome(outcome.succeeded(), outcome.describe(), outcome.bytes(), outcome.attempts());
            }

            @Override
            public void stop(String reason) {
                push.stop(Status.CANCELLED.withDescription(reason));
            }
        };
    }

    private GrpcTransferConfig configFor(PushRetry retry) {
        var chosen = config;
        if (retry.window() != null) {
            chosen = chosen.withRetryWindow(retry.window());
        }
        if (retry.maxAttempts() != null) {
            chosen = chosen.withMaxAttempts(retry.maxAttempts());
        }
        return chosen;
    }
}
