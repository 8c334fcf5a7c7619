package io.kakehashi.transfer.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The guard of one PUSH call on the receiving side, the same for bulk and record streams: the call's token must name
 * the transfer its first message names; the transfer's sink is leased for the call's life (so suspend and terminate
 * reach it through {@code stopper}); the token is re-checked every {@code recheckEvery} while data comes; and the call
 * ends once, releasing the lease, whichever way it ends. Not thread-safe: the call's observer holds its lock around
 * every use, since suspend and terminate come from other threads.
 *
 * @param <T> what the sink is (a destination path, a record sink)
 */
public final class InboundPush<T> {

    private final TransferAuthorization authorization;
    private final TransferRegistry<T> sinks;
    private final TransferAuthorization.Recheck recheck;
    private final StreamObserver<?> response;
    private final Clock clock;
    private final Duration recheckEvery;
    private Runnable release = () -> { };
    private Runnable onEnd = () -> { };
    private Instant nextRecheck;
    private T sink;
    private boolean ended;

    public InboundPush(TransferAuthorization authorization, TransferRegistry<T> sinks, TransferAuthorization.Recheck recheck,
                       StreamObserver<?> response, Clock clock, Duration recheckEvery) {
        this.authorization = authorization;
        this.sinks = sinks;
        this.recheck = recheck;
        this.response = response;
        this.clock = clock;
        this.recheckEvery = recheckEvery;
        this.nextRecheck = clock.instant().plus(recheckEvery);
    }

    /** What runs when the call ends, before the answer (closing what the observer opened on the sink). */
    public void onEnd(Runnable action) {
        this.onEnd = action;
    }

    /** The sink, once {@link #open} leased it; null before. */
    public T sink() {
        return sink;
    }

    public boolean ended() {
        return ended;
    }

    /**
     * Leases the sink of {@code transferId}, named by the call's first message, after checking that the token is
     * scoped to it; {@code stopper} is called with the status to end the call with when the transfer is suspended or
     * terminated. Answers false when refused: the call has then ended with the reason.
     */
    public boolean open(String transferId, Consumer<Status> stopper) {
        try {
            authorization.requireTransfer(transferId);
        } catch (StatusException e) {
            end(e.getStatus());
            return false;
        }
        var lease = sinks.open(transferId, stopper);
        if (lease.failed()) {
            end(GrpcStatuses.of(lease.getFailure()));
            return false;
        }
        release = lease.getContent().release();
        sink = lease.getContent().value();
        return true;
    }

    /** Re-checks the token when it is due; answers false when it no longer holds: the call has then ended. */
    public boolean tokenStillValid() {
        if (clock.instant().isBefore(nextRecheck)) {
            return true;
        }
        var denied = recheck.check();
        if (denied != null) {
            end(denied);
            return false;
        }
        nextRecheck = clock.instant().plus(recheckEvery);
        return true;
    }

    /** Ends the call with {@code status}, once. */
    public void end(Status status) {
        if (ended) {
            return;
        }
        close();
        try {
            response.onError(status.asException());
        } catch (RuntimeException ignored) {
            // the call is already closed
        }
    }

    /** Ends the call as the sender finished it: {@code answer} sends the result. */
    public void complete(Runnable answer) {
        if (ended) {
            return;
        }
        close();
        answer.run();
    }

    /** The sender went away (a dropped connection, a cancel): the call ends without an answer. */
    public void abandoned() {
        if (!ended) {
            close();
        }
    }

    private void close() {
        ended = true;
        release.run();
        onEnd.run();
    }
}
