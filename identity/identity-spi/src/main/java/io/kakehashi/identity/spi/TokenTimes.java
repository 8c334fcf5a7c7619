package io.kakehashi.identity.spi;

import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The one rule for the times of a signed statement a peer hands us (a self-issued ID token, a presentation), so that
 * every check answers the same:
 * <ul>
 *   <li>it has an expiry, and now is not later than the expiry plus the clock skew;</li>
 *   <li>its issue time and its not-before time, when present, are not later than now plus the clock skew;</li>
 *   <li>where a maximum lifetime is set, it has an issue time and expires no later than that maximum after it — plus
 *       one second, since {@code iat} and {@code exp} are whole seconds and a token made "now + maximum" may show
 *       one more.</li>
 * </ul>
 * Immutable and thread-safe.
 *
 * @param clock           what "now" is
 * @param clockSkew       how far the peer's clock may be from ours, either way
 * @param maximumLifetime the longest accepted span from issue to expiry, or null where the statement's lifetime is
 *                        bounded otherwise
 */
public record TokenTimes(Clock clock, Duration clockSkew, Duration maximumLifetime) {

    /** Whole seconds: a lifetime may exceed its maximum by this much through rounding. */
    public static final Duration ROUNDING = Duration.ofSeconds(1);

    public TokenTimes {
        if (clock == null || clockSkew == null || clockSkew.isNegative()) {
            throw new IllegalArgumentException("a token time rule needs a clock and a clock skew of zero or more");
        }
        if (maximumLifetime != null && (maximumLifetime.isNegative() || maximumLifetime.isZero())) {
            throw new IllegalArgumentException("a maximum token lifetime must be positive");
        }
    }

    /**
     * Checks a statement's times; the failure names the statement ({@code what}, e.g. "token") and the time it failed on.
     *
     * @param issued    {@code iat}, or null when absent
     * @param expiry    {@code exp}, or null when absent
     * @param notBefore {@code nbf}, or null when absent
     */
    public Result<Void> check(String what, Instant issued, Instant expiry, Instant notBefore) {
        if (expiry == null) {
            return Result.failure("%s has no exp".formatted(what));
        }
        if (maximumLifetime != null && issued == null) {
            return Result.failure("%s has no iat".formatted(what));
        }
        var now = clock.instant();
        if (now.isAfter(expiry.plus(clockSkew))) {
            return Result.failure("%s expired at %s".formatted(what, expiry));
        }
        if (issued != null && issued.isAfter(now.plus(clockSkew))) {
            return Result.failure("%s issued in the future (%s)".formatted(what, issued));
        }
        if (notBefore != null && notBefore.isAfter(now.plus(clockSkew))) {
            return Result.failure("%s not valid before %s".formatted(what, notBefore));
        }
        // a long-lived token would keep a stolen one useful and the replay store large
        if (maximumLifetime != null && Duration.between(issued, expiry).compareTo(maximumLifetime.plus(ROUNDING)) > 0) {
            return Result.failure("%s lifetime %s exceeds the accepted %s".formatted(what, Duration.between(issued, expiry), maximumLifetime));
        }
        return Result.success();
    }

    /** {@link #check(String, Instant, Instant, Instant)} for a JWT's dates as Nimbus gives them. */
    public Result<Void> check(String what, Date issued, Date expiry, Date notBefore) {
        return check(what, instant(issued), instant(expiry), instant(notBefore));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
