package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.core.spi.settings.SettingValues;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.runtime.metamodel.annotation.Settings;
import org.eclipse.edc.spi.EdcException;

import java.time.Duration;

/**
 * How the gRPC data plane moves data: chunk and batch sizes, deadlines, tokens, retries. Read once at start by
 * {@link GrpcTransferServerExtension}, which turns them into the {@link GrpcTransferConfig} every transfer uses; a
 * bad value fails the start naming its key. Immutable.
 */
@Settings
public record GrpcTransferSettings(
        @Setting(key = GrpcTransferSettings.CHUNK_SIZE, defaultValue = "262144", description = "Payload bytes per bulk chunk (1 KiB to just under 4 MiB)")
        int chunkSize,
        @Setting(key = GrpcTransferSettings.TOKEN_LIFETIME, defaultValue = "PT1H",
                description = "Lifetime of a transfer token (ISO-8601 duration); a longer transfer continues with a refreshed token")
        String tokenLifetime,
        @Setting(key = GrpcTransferSettings.TOKEN_RECHECK, defaultValue = "PT5S", description = "How often a long stream re-checks its token (ISO-8601 duration)")
        String tokenRecheck,
        @Setting(key = GrpcTransferSettings.MAX_ATTEMPTS, defaultValue = "5",
                description = "Calls in a row without progress a transfer makes at least before it gives up (it gives up once both these and the retry window are spent)")
        int maxAttempts,
        @Setting(key = GrpcTransferSettings.RETRY_WINDOW, defaultValue = "PT2M",
                description = "How long a transfer keeps retrying at least without progress (ISO-8601 duration), so that it outlasts a restart of its peer")
        String retryWindow,
        @Setting(key = GrpcTransferSettings.RETRY_BACKOFF, defaultValue = "PT0.5S",
                description = "Pause before the first retry (ISO-8601 duration); it doubles with each retry without progress")
        String retryBackoff,
        @Setting(key = GrpcTransferSettings.RETRY_BACKOFF_MAX, defaultValue = "PT10S", description = "Longest pause between two retries (ISO-8601 duration)")
        String retryBackoffMax,
        @Setting(key = GrpcTransferSettings.STREAM_DEADLINE, defaultValue = "PT10M",
                description = "Deadline of one real-time call (ISO-8601 duration); the consumer re-subscribes after it with no loss")
        String streamDeadline,
        @Setting(key = GrpcTransferSettings.STREAM_BATCH_BYTES, defaultValue = "65536",
                description = "Payload bytes a real-time sender puts into one message at most, of the records its source already has (1 to 2 MiB; 1: one record per message); a single larger record goes alone")
        int streamBatchBytes) {

    public static final String CHUNK_SIZE = "kakehashi.transfer.grpc.chunk-size";
    public static final String TOKEN_LIFETIME = "kakehashi.transfer.grpc.token.lifetime";
    public static final String TOKEN_RECHECK = "kakehashi.transfer.grpc.token.recheck";
    public static final String MAX_ATTEMPTS = "kakehashi.transfer.grpc.max-attempts";
    public static final String RETRY_WINDOW = "kakehashi.transfer.grpc.retry-window";
    public static final String RETRY_BACKOFF = "kakehashi.transfer.grpc.retry-backoff";
    public static final String RETRY_BACKOFF_MAX = "kakehashi.transfer.grpc.retry-backoff-max";
    public static final String STREAM_DEADLINE = "kakehashi.transfer.grpc.stream.deadline";
    public static final String STREAM_BATCH_BYTES = "kakehashi.transfer.grpc.stream.batch-bytes";

    /** The lifetime of a transfer token; an exception that names the key when it is no positive duration. */
    public Duration tokenLifetimeDuration() {
        return duration(TOKEN_LIFETIME, tokenLifetime);
    }

    /** The transfers' configuration; an exception that names the key (or the keys it may be) when a value is out of range. */
    public GrpcTransferConfig config() {
        var defaults = GrpcTransferConfig.defaults();
        if (streamBatchBytes < 1 || streamBatchBytes > GrpcTransferConfig.MAX_STREAM_BATCH_BYTES) {
            throw new EdcException("%s must be between 1 and %d, was %d".formatted(STREAM_BATCH_BYTES,
                    GrpcTransferConfig.MAX_STREAM_BATCH_BYTES, streamBatchBytes));
        }
        try {
            return new GrpcTransferConfig(chunkSize, defaults.bulkDeadline(), duration(STREAM_DEADLINE, streamDeadline),
                    defaults.unaryDeadline(), duration(TOKEN_RECHECK, tokenRecheck), maxAttempts, duration(RETRY_BACKOFF, retryBackoff),
                    duration(RETRY_BACKOFF_MAX, retryBackoffMax), duration(RETRY_WINDOW, retryWindow), defaults.pollInterval(), streamBatchBytes);
        } catch (IllegalArgumentException e) {
            throw new EdcException("invalid gRPC data-plane setting (%s, %s, %s, %s): %s".formatted(CHUNK_SIZE, MAX_ATTEMPTS,
                    RETRY_BACKOFF, RETRY_BACKOFF_MAX, e.getMessage()));
        }
    }

    private static Duration duration(String key, String value) {
        return SettingValues.require(SettingValues.positiveDuration(key, value));
    }
}
