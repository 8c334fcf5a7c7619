package io.kakehashi.transfer.grpc.stream;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.CallStreamObserver;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.meter.TransferMeter;
import io.kakehashi.transfer.grpc.v1.Record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends a {@link RecordStream} on one call from its own thread, in order, from a starting sequence: it
 * writes only while the call is ready and otherwise waits for the on-ready signal, so a consumer that stops
 * reading holds it without buffering. It looks at stop requests at least every poll interval, so suspend and
 * terminate take effect within that interval; after a stop nothing more is sent. Each record is admitted by
 * the transfer's meter (quotas) and the token is re-checked at an interval. Only the pump's thread touches
 * the call; other threads call {@link #onReady()}, {@link #stop(Status)} and {@link #cancelled()}.
 */
public final class RecordPump implements Runnable {

    private final String transferId;
    private final RecordStream stream;
    private final CallStreamObserver<Record> out;
    private final TransferMeter meter;
    private final TransferAuthorization.Recheck recheck;
    private final Duration recheckInterval;
    private final Duration pollInterval;
    private final boolean completeOnTerminate;
    private final Clock clock;
    private final Consumer<Status> onEnd;
    private final Semaphore ready = new Semaphore(0);
    private volatile Status stopRequest;
    private volatile boolean cancelled;
    private long sequence;
    private boolean first = true;

    /**
     * @param completeOnTerminate whether a terminate ends the call cleanly (a client's request stream) instead of
     *                            with the CANCELLED status
     * @param onEnd told once how the call ended
     */
    public RecordPump(String transferId, RecordStream stream, long fromSequence, CallStreamObserver<Record> out,
                      TransferMeter meter, TransferAuthorization.Recheck recheck, Duration recheckInterval,
                      Duration pollInterval, boolean completeOnTerminate, Clock clock, Consumer<Status> onEnd) {
        this.transferId = transferId;
        this.stream = stream;
        this.sequence = fromSequence;
        this.out = out;
        this.meter = meter;
        this.recheck = recheck;
        this.recheckInterval = recheckInterval;
        this.pollInterval = pollInterval;
        this.completeOnTerminate = completeOnTerminate;
        this.clock = clock;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        var status = pump();
        if (!cancelled) {
            try {
                if (status.isOk() || (completeOnTerminate && status.getCode() == Status.Code.CANCELLED)) {
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
        meter.resumedAt(0, sequence);
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
                var record = stream.take(sequence, pollInterval);
                if (record == null) {
                    continue;
                }
                var admitted = meter.admit(record.getPayload().size());
                if (admitted.failed()) {
                    return Status.RESOURCE_EXHAUSTED.withDescription(admitted.getFailureDetail());
                }
                // the first record of a call names the transfer (the sink's side needs it)
                var message = first ? record.toBuilder().setTransferId(transferId).build() : record;
                synchronized (this) {
                    // a stop that came while waiting for the record wins: nothing passes after it
                    if (stopRequest != null) {
                        return stopRequest;
                    }
                    out.onNext(message);
                }
                first = false;
                sequence++;
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
