package io.kakehashi.transfer.grpc.meter;

import io.kakehashi.transfer.spi.TransferProgress;

import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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

    private final LongAdder totalBytes;
    private final LongAdder totalMessages;

    public TransferMeter(String transferId, TransferLimits limits, Clock clock) {
        this(transferId, limits, clock, new LongAdder(), new LongAdder());
    }

    /**
     * @param totalBytes    also gets every admitted message's bytes (the data plane's running total over all transfers)
     * @param totalMessages also gets every admitted message
     */
    public TransferMeter(String transferId, TransferLimits limits, Clock clock, LongAdder totalBytes, LongAdder totalMessages) {
        this.transferId = transferId;
        this.limits = limits;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.totalBytes = totalBytes;
        this.totalMessages = totalMessages;
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
        totalMessages.increment();
        totalBytes.add(size);
        return Result.success();
    }

    /**
     * Sets what a bulk transfer moved before this (re)start: the offset it resumes from counts against the byte
     * quota, so suspending and resuming does not reset it. (Real-time streams use {@link #streamFrom(long)}.)
     */
    public synchronized void resumedAt(long bytesBefore, long messagesBefore) {
        this.bytesBefore = bytesBefore;
        this.messagesBefore = messagesBefore;
    }

    private volatile long bytesBefore;
    private volatile long messagesBefore;
    /** For a real-time stream: the first sequence not admitted yet (-1 before the stream's first call). */
    private long nextNewSequence = -1;

    /**
     * A real-time stream's call starts (or starts again) at {@code sequence}. A meter that already counted this
     * stream keeps its counts, so a consumer that breaks off and subscribes again — from any sequence — cannot reset
     * a quota; records it gets again ({@link #admitRecord}) are not counted twice. A meter new to the stream (the
     * first call, or the first after the provider restarted) counts the records before {@code sequence} as messages
     * already moved; their bytes are not known then and are not counted.
     */
    public synchronized void streamFrom(long sequence) {
        if (nextNewSequence < 0) {
            nextNewSequence = sequence;
            messagesBefore = sequence;
        }
        state = "RUNNING";
    }

    /**
     * Admits record {@code sequence} of a real-time stream. A record before the furthest one admitted was admitted and
     * counted when it first went (it is being delivered again after a broken call or a resume) and passes; a new one
     * is counted and checked against the quotas like any message.
     */
    public synchronized Result<Void> admitRecord(long sequence, long size) {
        if (nextNewSequence >= 0 && sequence < nextNewSequence) {
            return Result.success();
        }
        if (nextNewSequence >= 0 && sequence > nextNewSequence) {
            // records skipped over still count as moved messages
            messagesBefore += sequence - nextNewSequence;
        }
        var admitted = admit(size);
        if (admitted.succeeded()) {
            nextNewSequence = sequence + 1;
        }
        return admitted;
    }

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
