package io.kakehashi.transfer.grpc;

import io.grpc.Status;
import org.eclipse.edc.spi.monitor.Monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one client resume loop of the gRPC transfers (bulk pull and push, record subscription and push): it runs one
 * call after another from the transfer's last durable position until one ends the transfer. A call that ends OK or
 * with a refusal ({@link RetryableStatuses}) is final; a retryable ending (the peer unreachable while it restarts, a
 * dropped connection, a call's deadline) is retried after a pause that starts at
 * {@link GrpcTransferConfig#retryBackoff()} and doubles up to {@link GrpcTransferConfig#retryBackoffMax()}. Whatever
 * moved the position forward (progress) starts the count, the pause and the window over. Without progress the loop
 * gives up only when both {@link GrpcTransferConfig#maxAttempts()} calls and {@link GrpcTransferConfig#retryWindow()}
 * have passed, so a peer that takes a while to come back (a restart) is waited for; a max-attempts of 1 makes a single
 * call that is never retried, whatever the window. A call that reached its deadline
 * after progress (a long stream's periodic re-subscription) follows at once.
 * <p>
 * {@link #run} runs once on one thread; {@link #stop(Status)} may be called from any other and wakes a pause at once.
 */
public final class ResumeLoop {

    /** One call of the transfer. */
    @FunctionalInterface
    public interface Call {
        /**
         * @param attempt 1 for the first call
         * @return how the call ended
         */
        Status attempt(int attempt) throws Exception;
    }

    /** Waits between two calls; woken early by a stop. */
    @FunctionalInterface
    public interface Pause {
        /** @return false when interrupted */
        boolean await(Duration duration, CountDownLatch stop);
    }

    /** How the loop ended: the final status (the stop's, if stopped) and how many calls it made. */
    public record Ending(Status status, int attempts, boolean stopped) { }

    private static final Pause SLEEP = (duration, stop) -> {
        try {
            stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    };

    private final String what;
    private final GrpcTransferConfig config;
    private final Monitor monitor;
    private final Clock clock;
    private final Pause pause;
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private volatile Status stopped;

    /**
     * @param what names the transfer in log lines (kind and id; never a token)
     */
    public ResumeLoop(String what, GrpcTransferConfig config, Monitor monitor) {
        this(what, config, monitor, Clock.systemUTC(), SLEEP);
    }

    public ResumeLoop(String what, GrpcTransferConfig config, Monitor monitor, Clock clock, Pause pause) {
        this.what = what;
        this.config = config;
        this.monitor = monitor;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Runs calls until one is final, the loop gives up or it is stopped.
     *
     * @param position the transfer's durable position (offset, next sequence); growing means progress
     */
    public Ending run(Call call, LongSupplier position) {
        var attempts = 0;
        var withoutProgress = 0;
        var backoff = config.retryBackoff();
        var lastPosition = position.getAsLong();
        Instant lastProgress = clock.instant();
        while (true) {
            if (stopped != null) {
                return new Ending(stopped, attempts, true);
            }
            attempts++;
            Status status;
            try {
                status = call.attempt(attempts);
            } catch (Exception e) {
                status = Status.fromThrowable(e);
            }
            if (stopped != null) {
                return new Ending(stopped, attempts, true);
            }
            if (status.isOk() || !RetryableStatuses.isRetryable(status) || config.maxAttempts() == 1) {
                // one attempt allowed: a single call, never retried (a best-effort message such as a progress report)
                return new Ending(status, attempts, false);
            }
            var now = position.getAsLong();
            var progressed = now > lastPosition;
            if (progressed) {
                lastPosition = now;
                lastProgress = clock.instant();
                withoutProgress = 0;
                backoff = config.retryBackoff();
            } else {
                withoutProgress++;
                var waited = Duration.between(lastProgress, clock.instant());
                if (withoutProgress >= config.maxAttempts() && waited.compareTo(config.retryWindow()) >= 0) {
                    monitor.warning("%s gives up after %d calls and %d s without progress (%s)"
                            .formatted(what, withoutProgress, waited.toSeconds(), status.getCode()));
                    return new Ending(status, attempts, false);
                }
            }
            if (progressed && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                // a long call's periodic end: the next one follows at once
                continue;
            }
            monitor.info("%s interrupted (%s), resuming at %d in %d ms".formatted(what, status.getCode(), now, backoff.toMillis()));
            if (!pause.await(backoff, stopLatch)) {
                return new Ending(Status.CANCELLED.withDescription("interrupted"), attempts, false);
            }
            var doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(config.retryBackoffMax()) > 0 ? config.retryBackoffMax() : doubled;
        }
    }

    /** Stops the loop: no further call starts, a pause ends at once (the caller ends the running call itself). */
    public void stop(Status status) {
        stopped = status;
        stopLatch.countDown();
    }

    /** The status the loop was stopped with, or null. */
    public Status stopped() {
        return stopped;
    }
}
