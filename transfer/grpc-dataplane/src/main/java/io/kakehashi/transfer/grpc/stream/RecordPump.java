package io.kakehashi.transfer.grpc.stream;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.CallStreamObserver;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.meter.TransferMeter;
import io.kakehashi.transfer.grpc.v1.Record;
import io.kakehashi.transfer.grpc.v1.RecordBatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends a {@link RecordStream} on one call from its own thread, in order, from a starting sequence: it
 * writes only while the call is ready and otherwise waits for the on-ready signal, so a consumer that stops
 * reading holds it without buffering. Each message is a batch of what the stream already has when the call is
 * ready, up to {@value #MAX_BATCH_RECORDS} records and the configured payload bytes (a single larger record goes
 * alone); it waits only for the first record of a batch, never to fill one, so a lone record goes at once. It looks
 * at stop requests at least every poll interval, so suspend and terminate take effect within that interval; after
 * a stop nothing more is sent, not even a batch being built when it came. Each record is admitted by the transfer's
 * meter (quotas) before it joins a batch, so a batch carries only admitted records and the call ends after it when
 * a quota is reached; the token is re-checked at an interval. Only the pump's thread touches the call; other threads
 * call {@link #onReady()}, {@link #stop(Status)} and {@link #cancelled()}.
 */
public final class RecordPump implements Runnable {

    /**
     * The most records one message carries, a bound for tiny records (with 200-byte records the 64 KiB byte limit comes
     * first, at 327): measured on 2026-11-23, letting 200-byte batches grow to this many (256 KiB) moved no more records
     * per second than 64 KiB did.
     */
    public static final int MAX_BATCH_RECORDS = 512;

    private final String transferId;
    private final RecordStream stream;
    private final CallStreamObserver<RecordBatch> out;
    private final TransferMeter meter;
    private final TransferAuthorization.Recheck recheck;
    private final Duration recheckInterval;
    private final Duration pollInterval;
    private final int batchBytes;
    private final boolean completeOnTerminate;
    private final Clock clock;
    private final Consumer<Status> onEnd;
    private final Semaphore ready = new Semaphore(0);
    private volatile Status stopRequest;
    private volatile boolean cancelled;
    private long sequence;
    private boolean first = true;
    /** Taken from the stream but left out of the last batch (it would have crossed the byte limit): the next batch's first. */
    private Record carried;

    /**
     * @param batchBytes the most payload bytes of one message, unless it carries a single larger record
     * @param completeOnTerminate whether a terminate or a reached quota ends the call cleanly (a client's request
     *                            stream: the receiver then keeps every batch sent before, where a cancel could
     *                            overtake the last ones) instead of with the status
     * @param onEnd told once how the call ended
     */
    public RecordPump(String transferId, RecordStream stream, long fromSequence, CallStreamObserver<RecordBatch> out,
                      TransferMeter meter, TransferAuthorization.Recheck recheck, Duration recheckInterval,
                      Duration pollInterval, int batchBytes, boolean completeOnTerminate, Clock clock, Consumer<Status> onEnd) {
        this.transferId = transferId;
        this.stream = stream;
        this.sequence = fromSequence;
        this.out = out;
        this.meter = meter;
        this.recheck = recheck;
        this.recheckInterval = recheckInterval;
        this.pollInterval = pollInterval;
        this.batchBytes = batchBytes;
        this.completeOnTerminate = completeOnTerminate;
        this.clock = clock;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        var status = pump();
        if (!cancelled) {
            try {
                if (status.isOk() || (completeOnTerminate && (status.getCode() == Status.Code.CANCELLED
                        || status.getCode() == Status.Code.RESOURCE_EXHAUSTED))) {
                    out.onCompleted();
                } else {
                    out.onError(status.asRuntimeException());
                }
            } catch (RuntimeException ignored) {
                // the call already went away
            }
        }
        onEnd.accept(cancelled ? Status.CANCELLED.withDescription("cancelled by the peer") : status);
    }

    private Status pump() {
        meter.streamFrom(sequence);
        var nextRecheck = clock.instant().plus(recheckInterval);
        try {
            while (true) {
                if (cancelled) {
                    return Status.CANCELLED;
                }
                if (stopRequest != null) {
                    return stopRequest;
                }
                if (!out.isReady()) {
                    ready.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                if (!clock.instant().isBefore(nextRecheck)) {
                    var denied = recheck.check();
                    if (denied != null) {
                        return denied;
                    }
                    nextRecheck = clock.instant().plus(recheckInterval);
                }
                var head = carried != null ? carried : stream.take(sequence, pollInterval);
                carried = null;
                if (head == null) {
                    continue;
                }
                var batch = RecordBatch.newBuilder();
                var refusal = fill(batch, head);
                if (batch.getRecordsCount() > 0) {
                    var message = batch.build();
                    synchronized (this) {
                        // a stop that came while the batch was built wins: nothing passes after it
                        if (stopRequest != null) {
                            return stopRequest;
                        }
                        out.onNext(message);
                    }
                    first = false;
                    sequence += message.getRecordsCount();
                }
                if (refusal != null) {
                    return refusal;
                }
            }
        } catch (StatusException e) {
            return e.getStatus();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCELLED.withDescription("interrupted");
        } catch (RuntimeException e) {
            return Status.INTERNAL.withDescription("stream of %s failed: %s".formatted(transferId, e.getMessage()));
        }
    }

    /**
     * Adds {@code head} and then what the stream already has (never waiting) to {@code batch}, each record admitted
     * by the meter first, until a limit, a record that would cross the byte limit (carried to the next batch), a
     * stop, or the stream having nothing more.
     *
     * @return the status to end the call with after this batch when a quota refused a record, else null
     */
    private Status fill(RecordBatch.Builder batch, Record head) {
        var record = head;
        long bytes = 0;
        while (true) {
            var admitted = meter.admitRecord(record.getSequence(), record.getPayload().size());
            if (admitted.failed()) {
                return Status.RESOURCE_EXHAUSTED.withDescription(admitted.getFailureDetail());
            }
            // the first record of a call names the transfer (the sink's side needs it)
            batch.addRecords(first && batch.getRecordsCount() == 0 ? record.toBuilder().setTransferId(transferId).build() : record);
            bytes += record.getPayload().size();
            if (batch.getRecordsCount() >= MAX_BATCH_RECORDS || bytes >= batchBytes || stopRequest != null || cancelled) {
                return null;
            }
            Record next;
            try {
                next = stream.take(sequence + batch.getRecordsCount(), Duration.ZERO);
            } catch (StatusException | InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // what is admitted goes; the next batch's first take meets the trouble again and ends the call
                return null;
            }
            if (next == null) {
                return null;
            }
            if (bytes + next.getPayload().size() > batchBytes) {
                carried = next;
                return null;
            }
            record = next;
        }
    }

    /** The call became ready again (its on-ready handler). */
    public void onReady() {
        ready.release();
    }

    /** Ends the call with {@code status} within one poll interval; nothing is sent after this returns. */
    public void stop(Status status) {
        synchronized (this) {
            stopRequest = status;
        }
        ready.release();
    }

    /** The peer went away. */
    public void cancelled() {
        cancelled = true;
        ready.release();
    }
}
