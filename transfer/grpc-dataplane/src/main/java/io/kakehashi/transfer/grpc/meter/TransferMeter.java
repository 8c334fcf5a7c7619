package io.kakehashi.transfer.grpc.meter;

import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what one transfer moves and enforces its quota on every message. The sender asks
 * {@link #admit(long)} before it sends a message and sends it only on success, so a quota is never crossed
 * on the wire. Thread-safe (counters are atomic; one sender per transfer is expected).
 */
public final class TransferMeter {

    private final String transferId;
    private final TransferLimits limits;
    private final Clock clock;
    private final Instant startedAt;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private volatile long totalSize = -1;
    private volatile String state = "RUNNING";

    public TransferMeter(String transferId, TransferLimits limits, Clock clock) {
        this.transferId = transferId;
        this.limits = limits;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /**
     * Admits one message of {@code size} payload bytes, or refuses it when it would cross a quota; a refused
     * message is not counted.
     */
    public synchronized Result<Void> admit(long size) {
        if (messagesBefore + messages.get() + 1 > limits.maxMessages()) {
            return Result.failure("message quota of %d reached for transfer %s".formatted(limits.maxMessages(), transferId));
        }
        if (bytesBefore + bytes.get() + size > limits.maxBytes()) {
            return Result.failure("byte quota of %d reached for transfer %s".formatted(limits.maxBytes(), transferId));
        }
        messages.incrementAndGet();
        bytes.addAndGet(size);
        return Result.success();
    }

    /**
     * Sets what the transfer moved before this (re)start: a resumed bulk transfer's offset, a resumed stream's
     * next sequence. Both count against the quota, so suspending and resuming does not reset it.
     */
    public synchronized void resumedAt(long bytesBefore, long messagesBefore) {
        this.bytesBefore = bytesBefore;
        this.messagesBefore = messagesBefore;
    }

    private volatile long bytesBefore;
    private volatile long messagesBefore;

    /** Sets the size of the whole content when known, for the percentage. */
    public void totalSize(long size) {
        this.totalSize = size;
    }

    /** Records how the transfer ended or paused (COMPLETED, FAILED, SUSPENDED, TERMINATED, ...). */
    public void state(String state) {
        this.state = state;
    }

    /** A consistent-enough view of the progress now. */
    public TransferProgress snapshot() {
        var now = clock.instant();
        var moved = bytes.get();
        var elapsed = Duration.between(startedAt, now);
        var seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        var position = bytesBefore + moved;
        Double percentage = null;
        if (totalSize > 0) {
            percentage = Math.min(100.0, 100.0 * position / totalSize);
        } else if (totalSize == 0) {
            percentage = 100.0;
        }
        return new TransferProgress(transferId, state, moved, messages.get(), position, totalSize < 0 ? null : totalSize,
                percentage, moved / seconds, startedAt, now);
    }

    public String transferId() {
        return transferId;
    }

    public TransferLimits limits() {
        return limits;
    }
}
