package io.kakehashi.core.web.readiness;

import org.eclipse.edc.spi.result.Result;

import java.time.Duration;

/**
 * How long EDC's HTTP client keeps retrying a message to a peer that is down or answers 5xx: its retry policy waits
 * {@code minBackoff}, then twice as long each time up to {@code maxBackoff}, for {@code maxRetries} retries. The sum of
 * those waits is how long a peer's restart may take without the message failing. Immutable and thread-safe.
 */
public record PeerRetryBudget(int maxRetries, Duration minBackoff, Duration maxBackoff) {

    /** The total wait across all retries. */
    public Duration total() {
        var total = Duration.ZERO;
        var delay = minBackoff;
        for (var retry = 0; retry < maxRetries; retry++) {
            total = total.plus(delay);
            var doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
        }
        return total;
    }

    /**
     * This budget when it is well-formed and its total wait outlasts {@code restart}; a failure that says why
     * otherwise.
     */
    public Result<PeerRetryBudget> outlasting(Duration restart) {
        if (maxRetries < 1) {
            return Result.failure("no retries (%d): a peer's restart would fail every message sent during it".formatted(maxRetries));
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            return Result.failure("the backoff must be positive and its maximum (%d ms) at least its minimum (%d ms)"
                    .formatted(maxBackoff.toMillis(), minBackoff.toMillis()));
        }
        if (total().compareTo(restart) < 0) {
            return Result.failure("%d retries from %d ms up to %d ms wait %d ms in all, less than a peer's restart (%d ms)"
                    .formatted(maxRetries, minBackoff.toMillis(), maxBackoff.toMillis(), total().toMillis(), restart.toMillis()));
        }
        return Result.success(this);
    }
}
