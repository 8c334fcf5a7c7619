package io.kakehashi.transfer.grpc;

import java.time.Duration;

/**
 * The tunables of the gRPC data plane. Immutable and thread-safe.
 *
 * @param chunkSize payload bytes per bulk chunk
 * @param bulkDeadline deadline of one bulk call (a transfer that needs longer resumes in a new call)
 * @param streamDeadline deadline of one real-time call (the consumer re-subscribes from the next sequence)
 * @param unaryDeadline deadline of the short calls (offsets, sequences)
 * @param tokenRecheck how often a long stream re-checks its token
 * @param maxAttempts how many calls in a row without progress a transfer makes at least before it gives up; 1: a single
 *                    call, never retried
 * @param retryBackoff the pause before the first retry; it doubles with each retry without progress
 * @param retryBackoffMax the longest pause between two retries
 * @param retryWindow how long a transfer keeps retrying at least without progress (it gives up once both this window
 *                    and {@code maxAttempts} are spent), so that it outlasts a restart of its peer
 * @param pollInterval how long a real-time sender waits for the next record before it looks at the call's state again
 * @param streamBatchBytes payload bytes a real-time sender puts into one message at most (a single larger record
 *                         goes alone)
 */
public record GrpcTransferConfig(int chunkSize, Duration bulkDeadline, Duration streamDeadline, Duration unaryDeadline,
                                 Duration tokenRecheck, int maxAttempts, Duration retryBackoff, Duration retryBackoffMax,
                                 Duration retryWindow, Duration pollInterval, int streamBatchBytes) {

    /** The most a real-time message may carry: a batch's serialized records then stay well below gRPC's 4 MiB default. */
    public static final int MAX_STREAM_BATCH_BYTES = 2 * 1024 * 1024;

    /** The defaults the extension's settings start from. */
    public static GrpcTransferConfig defaults() {
        return new GrpcTransferConfig(256 * 1024, Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 5, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(2),
                Duration.ofMillis(200), 64 * 1024);
    }

    public GrpcTransferConfig {
        if (chunkSize < 1024 || chunkSize > 4 * 1024 * 1024 - 1024) {
            throw new IllegalArgumentException("chunk size must be between 1 KiB and just under 4 MiB (gRPC's default message limit)");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
        if (retryBackoff.isNegative() || retryBackoffMax.compareTo(retryBackoff) < 0 || retryWindow.isNegative()) {
            throw new IllegalArgumentException("the retry backoff must not be negative nor above its maximum, the retry window not negative");
        }
        if (streamBatchBytes < 1 || streamBatchBytes > MAX_STREAM_BATCH_BYTES) {
            throw new IllegalArgumentException("stream batch bytes must be between 1 (one record per message) and 2 MiB");
        }
    }

    public GrpcTransferConfig withChunkSize(int value) {
        return new GrpcTransferConfig(value, bulkDeadline, streamDeadline, unaryDeadline, tokenRecheck, maxAttempts, retryBackoff, retryBackoffMax, retryWindow, pollInterval, streamBatchBytes);
    }

    public GrpcTransferConfig withStreamDeadline(Duration value) {
        return new GrpcTransferConfig(chunkSize, bulkDeadline, value, unaryDeadline, tokenRecheck, maxAttempts, retryBackoff, retryBackoffMax, retryWindow, pollInterval, streamBatchBytes);
    }

    public GrpcTransferConfig withTokenRecheck(Duration value) {
        return new GrpcTransferConfig(chunkSize, bulkDeadline, streamDeadline, unaryDeadline, value, maxAttempts, retryBackoff, retryBackoffMax, retryWindow, pollInterval, streamBatchBytes);
    }

    public GrpcTransferConfig withMaxAttempts(int value) {
        return new GrpcTransferConfig(chunkSize, bulkDeadline, streamDeadline, unaryDeadline, tokenRecheck, value, retryBackoff, retryBackoffMax, retryWindow, pollInterval, streamBatchBytes);
    }

    public GrpcTransferConfig withRetryBackoff(Duration value) {
        return new GrpcTransferConfig(chunkSize, bulkDeadline, streamDeadline, unaryDeadline, tokenRecheck, maxAttempts, value, retryBackoffMax, retryWindow, pollInterval, streamBatchBytes);
    }

    public GrpcTransferConfig withRetryBackoffMax(Duration value) {
        return new GrpcTransferConfig(chunkSize, bulkDeadline, streamDeadline, unaryDeadline, tokenRecheck, maxAttempts, retryBackoff, value, retryWindow, pollInterval, streamBatchBytes);
    }

    public GrpcTransferConfig withRetryWindow(Duration value) {
        return new GrpcTransferConfig(chunkSize, bulkDeadline, streamDeadline, unaryDeadline, tokenRecheck, maxAttempts, retryBackoff, retryBackoffMax, value, pollInterval, streamBatchBytes);
    }

    public GrpcTransferConfig withStreamBatchBytes(int value) {
        return new GrpcTransferConfig(chunkSize, bulkDeadline, streamDeadline, unaryDeadline, tokenRecheck, maxAttempts, retryBackoff, retryBackoffMax, retryWindow, pollInterval, value);
    }
}
