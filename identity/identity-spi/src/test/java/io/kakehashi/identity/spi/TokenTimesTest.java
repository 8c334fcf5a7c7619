package io.kakehashi.identity.spi;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenTimesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Duration MAXIMUM = Duration.ofMinutes(5);

    private final TokenTimes rule = new TokenTimes(Clock.fixed(NOW, ZoneOffset.UTC), SKEW, MAXIMUM);

    @Nested
    class Expiry {
        @Test
        void withinTheSkewAfterExpiry_shouldPass() {
            assertThat(rule.check("token", NOW.minusSeconds(60), NOW.minus(SKEW), null).succeeded()).isTrue();
        }

        @Test
        void oneSecondBeyondTheSkew_shouldFailNamingTheExpiry() {
            var expiry = NOW.minus(SKEW).minusSeconds(1);
            var result = rule.check("token", NOW.minusSeconds(60), expiry, null);
            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).isEqualTo("token expired at " + expiry);
        }

        @Test
        void missing_shouldFail() {
            assertThat(rule.check("presentation", NOW, null, null).getFailureDetail()).isEqualTo("presentation has no exp");
        }
    }

    @Nested
    class IssuedAndNotBefore {
        @Test
        void issuedWithinTheSkewAhead_shouldPass() {
            assertThat(rule.check("token", NOW.plus(SKEW), NOW.plus(SKEW).plusSeconds(60), null).succeeded()).isTrue();
        }

        @Test
        void issuedBeyondTheSkewAhead_shouldFail() {
            var issued = NOW.plus(SKEW).plusSeconds(1);
            assertThat(rule.check("token", issued, issued.plusSeconds(60), null).getFailureDetail())
                    .isEqualTo("token issued in the future (%s)".formatted(issued));
        }

        @Test
        void notBeforeBeyondTheSkewAhead_shouldFail_andWithinIt_shouldPass() {
            assertThat(rule.check("token", NOW, NOW.plusSeconds(60), NOW.plus(SKEW)).succeeded()).isTrue();
            var notBefore = NOW.plus(SKEW).plusSeconds(1);
            assertThat(rule.check("token", NOW, NOW.plusSeconds(60), notBefore).getFailureDetail())
                    .isEqualTo("token not valid before " + notBefore);
        }

        @Test
        void missingIssueTime_withAMaximumLifetime_shouldFail() {
            assertThat(rule.check("token", (Instant) null, NOW.plusSeconds(60), null).getFailureDetail()).isEqualTo("token has no iat");
        }

        @Test
        void missingIssueTime_withoutAMaximumLifetime_shouldPass() {
            var unbounded = new TokenTimes(Clock.fixed(NOW, ZoneOffset.UTC), SKEW, null);
            assertThat(unbounded.check("presentation", (Instant) null, NOW.plusSeconds(60), null).succeeded()).isTrue();
        }
    }

    @Nested
    class Lifetime {
        @Test
        void theMaximumPlusOneSecondOfRounding_shouldPass() {
            assertThat(rule.check("token", NOW, NOW.plus(MAXIMUM).plus(TokenTimes.ROUNDING), null).succeeded()).isTrue();
        }

        @Test
        void twoSecondsOverTheMaximum_shouldFail() {
            var result = rule.check("token", NOW, NOW.plus(MAXIMUM).plusSeconds(2), null);
            assertThat(result.getFailureDetail()).isEqualTo("token lifetime PT5M2S exceeds the accepted PT5M");
        }

        @Test
        void withoutAMaximum_shouldNotBeBounded() {
            var unbounded = new TokenTimes(Clock.fixed(NOW, ZoneOffset.UTC), SKEW, null);
            assertThat(unbounded.check("presentation", NOW, NOW.plus(Duration.ofDays(365)), null).succeeded()).isTrue();
        }
    }

    @Test
    void aNegativeSkewOrAZeroMaximum_shouldBeRefused() {
        assertThatThrownBy(() -> new TokenTimes(Clock.systemUTC(), Duration.ofSeconds(-1), MAXIMUM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenTimes(Clock.systemUTC(), SKEW, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
