package io.kakehashi.core.web.readiness;

import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadinessSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"PT1S", "PT30S", "PT1M"})
    void parseRetryAfter_withinOneSecondAndOneMinute_shouldBeAccepted(String value) {
        assertThat(StartupGateExtension.parseRetryAfter(value)).isEqualTo(Duration.parse(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT0.5S", "PT2M", "-PT1S", "1", "soon"})
    void parseRetryAfter_outsideTheRangeOrNotADuration_shouldStopNamingTheKey(String value) {
        assertThatThrownBy(() -> StartupGateExtension.parseRetryAfter(value))
                .isInstanceOf(EdcException.class)
                .hasMessageContaining(StartupGateExtension.RETRY_AFTER_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-PT1S", "5", "a while"})
    void parseRestart_whenNegativeOrNotADuration_shouldStopNamingTheKey(String value) {
        assertThatThrownBy(() -> PeerRetryBudgetExtension.parseRestart(value))
                .isInstanceOf(EdcException.class)
                .hasMessageContaining(PeerRetryBudgetExtension.PEER_RESTART_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT5S", "PT1M"})
    void parseRestart_withADuration_shouldBeAccepted(String value) {
        assertThat(PeerRetryBudgetExtension.parseRestart(value)).isEqualTo(Duration.parse(value));
    }
}
