package io.kakehashi.policy.auditor;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdmittedAuditorRequestsTest {

    private static final String TOKEN = "Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln";

    private final MovableClock clock = new MovableClock();
    private final AdmittedAuditorRequests admitted = new AdmittedAuditorRequests(clock);

    @Test
    void isAuthenticated_whenTheTokenWasAdmitted_shouldAcceptItOnce() {
        admitted.admit(TOKEN);

        assertThat(admitted.isAuthenticated(Map.of("authorization", List.of(TOKEN)))).isTrue();
        assertThat(admitted.isAuthenticated(Map.of("authorization", List.of(TOKEN)))).isFalse();
    }

    @Test
    void isAuthenticated_whenTheTokenWasNotAdmitted_shouldRefuse() {
        admitted.admit(TOKEN);

        assertThat(admitted.isAuthenticated(Map.of("Authorization", List.of(TOKEN + "x")))).isFalse();
        assertThat(admitted.isAuthenticated(Map.of("x-api-key", List.of(TOKEN)))).isFalse();
        assertThat(admitted.isAuthenticated(Map.of())).isFalse();
    }

    @Test
    void isAuthenticated_whenTwoAuthorizationValuesCome_shouldRefuse() {
        admitted.admit(TOKEN);

        assertThat(admitted.isAuthenticated(Map.of("Authorization", List.of(TOKEN, TOKEN)))).isFalse();
    }

    @Test
    void isAuthenticated_whenTheTokenWasAdmittedLongerAgoThanTheHold_shouldRefuse() {
        admitted.admit(TOKEN);
        clock.now = clock.now.plus(AdmittedAuditorRequests.HOLD).plus(Duration.ofSeconds(1));

        assertThat(admitted.isAuthenticated(Map.of("Authorization", List.of(TOKEN)))).isFalse();
    }

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
