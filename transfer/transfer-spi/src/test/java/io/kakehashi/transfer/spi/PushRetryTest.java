package io.kakehashi.transfer.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushRetryTest {

    @Test
    void dataPlaneSettings_shouldOverrideNothing() {
        var retry = PushRetry.dataPlaneSettings();

        assertThat(retry.maxAttempts()).isNull();
        assertThat(retry.window()).isNull();
    }

    @Test
    void with_shouldKeepThePartNotChanged() {
        var retry = PushRetry.dataPlaneSettings().withWindow(Duration.ofMinutes(3)).withMaxAttempts(1);

        assertThat(retry).isEqualTo(new PushRetry(1, Duration.ofMinutes(3)));
    }

    @Test
    void construct_whenNoAttemptOrNegativeWindow_shouldRefuse() {
        assertThatThrownBy(() -> new PushRetry(0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PushRetry(null, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
