package io.kakehashi.transfer.spi;

import java.time.Instant;

/**
 * A snapshot of one transfer's progress. Immutable and thread-safe.
 *
 * @param transferId the transfer process
 * @param state RUNNING, COMPLETED, FAILED, SUSPENDED or TERMINATED
 * @param bytes payload bytes moved by this data plane since the transfer (re)started
 * @param messages chunks or records moved
 * @param position for bulk: the offset reached in the whole content (includes a resumed prefix)
 * @param totalSize for bulk: the size of the whole content when known, else null
 * @param percentage for bulk with a known size: position / totalSize in percent, else null
 * @param bytesPerSecond the average rate since the start
 * @param startedAt when this data plane started moving the transfer
 * @param at when the snapshot was taken
 */
public record TransferProgress(String transferId, String state, long bytes, long messages, long position,
                               Long totalSize, Double percentage, double bytesPerSecond,
                               Instant startedAt, Instant at) {
}
