package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.spi.RecordSource;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.v1.Record;
import com.google.protobuf.ByteString;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A provider's real-time stream for one transfer: it numbers the source's records and keeps the most recent it
 * handed out (by bytes), so that a call that broke (or a transfer that was suspended) continues at the sequence the
 * consumer asks for with no loss and no duplicate. The position survives across calls, suspensions and
 * resumptions. Thread-safe (one call reads at a time; the lock makes a stale call harmless).
 */
public final class RecordStream {

    private final RecordSource source;
    private final long replayBytes;
    private long keptBytes;
    private final Clock clock;
    private final ArrayDeque<Record> recent = new ArrayDeque<>();
    private long nextSequence;

    /**
     * @param replayBytes how many bytes of handed-out records are kept for a consumer that missed them in flight;
     *                    it must cover what flow control lets travel unread (the peer's HTTP/2 window plus the
     *                    transport's buffers), or a call that breaks cannot resume without loss
     */
    public RecordStream(RecordSource source, long replayBytes, Clock clock) {
        this.source = source;
        this.replayBytes = replayBytes;
        this.clock = clock;
        // a source that numbers its records durably (a file) may continue where an earlier runtime left off
        this.nextSequence = source instanceof SeekableRecordSource seekable ? seekable.nextSequence() : 0;
    }

    /**
     * The record with {@code sequence}: replayed when it was handed out recently, read from the source when it
     * is the next one.
     *
     * @return the record, or null when the source had none within {@code maxWait}
     * @throws io.grpc.StatusException OUT_OF_RANGE when the sequence is older than the replay window or not yet produced
     */
    public synchronized Record take(long sequence, Duration maxWait) throws InterruptedException, io.grpc.StatusException {
        if (sequence != nextSequence && !isKept(sequence) && source instanceof SeekableRecordSource seekable) {
            var moved = seekable.seek(sequence);
            if (moved.failed()) {
                throw Status.OUT_OF_RANGE.withDescription(moved.getFailureDetail()).asException();
            }
            recent.clear();
            keptBytes = 0;
            nextSequence = sequence;
        }
        if (sequence < nextSequence) {
            var oldest = recent.isEmpty() ? nextSequence : recent.peekFirst().getSequence();
            if (sequence < oldest) {
                throw Status.OUT_OF_RANGE.withDescription("sequence %d is no longer available (oldest kept: %d)"
                        .formatted(sequence, oldest)).asException();
            }
            return recent.stream().filter(r -> r.getSequence() == sequence).findFirst().orElseThrow();
        }
        if (sequence > nextSequence) {
            throw Status.OUT_OF_RANGE.withDescription("sequence %d is ahead of the stream (next: %d)"
                    .formatted(sequence, nextSequence)).asException();
        }
        var payload = source.next(maxWait);
        if (payload == null) {
            return null;
        }
        var record = Record.newBuilder().setSequence(nextSequence++).setTimestampMillis(clock.millis())
                .setContentType(source.contentType()).setPayload(ByteString.copyFrom(payload)).build();
        recent.addLast(record);
        keptBytes += weight(record);
        while (keptBytes > replayBytes && recent.size() > 1) {
            keptBytes -= weight(recent.removeFirst());
        }
        return record;
    }

    private boolean isKept(long sequence) {
        return sequence < nextSequence && !recent.isEmpty() && sequence >= recent.peekFirst().getSequence();
    }

    private static long weight(Record record) {
        // what the record costs on the wire (gRPC's 5-byte frame prefix included)
        return record.getSerializedSize() + 5L;
    }

    /** The sequence the source's next record will get. */
    public synchronized long nextSequence() {
        return nextSequence;
    }

    /** Closes the source (the transfer ended). */
    public void close() {
        source.close();
    }
}
