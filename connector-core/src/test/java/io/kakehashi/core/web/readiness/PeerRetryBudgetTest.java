package io.kakehashi.core.web.readiness;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PeerRetryBudgetTest {

    private static final Duration RESTART = Duration.ofSeconds(5);

    @Test
    void total_withEdcsDefaults_shouldDoubleFromTheMinimumUpToTheMaximum() {
        // 500 + 1000 + 2000 + 4000 + 8000
        assertThat(new PeerRetryBudget(5, Duration.ofMillis(500), Duration.ofSeconds(10)).total()).isEqualTo(Duration.ofMillis(15_500));
        // 500 + 1000 + 1500 + 1500
        assertThat(new PeerRetryBudget(4, Duration.ofMillis(500), Duration.ofMillis(1500)).total()).isEqualTo(Duration.ofMillis(4500));
    }

    @Test
    void outlasting_withEdcsDefaults_shouldSucceed() {
        assertThat(new PeerRetryBudget(5, Duration.ofMillis(500), Duration.ofSeconds(10)).outlasting(RESTART).succeeded()).isTrue();
    }

    @Test
    void outlasting_whenTheRetriesEndBeforeARestart_shouldFailSayingHowLong() {
        var result = new PeerRetryBudget(4, Duration.ofMillis(500), Duration.ofMillis(1500)).outlasting(RESTART);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("4500 ms").contains("5000 ms");
    }

    @Test
    void outlasting_withoutRetries_shouldFail() {
        assertThat(new PeerRetryBudget(0, Duration.ofMillis(500), Duration.ofSeconds(10)).outlasting(Duration.ZERO).failed()).isTrue();
    }

    @Test
    void outlasting_whenTheMaximumIsBelowTheMinimum_shouldFail() {
        assertThat(new PeerRetryBudget(10, Duration.ofSeconds(2), Duration.ofSeconds(1)).outlasting(RESTART).failed()).isTrue();
    }
}
