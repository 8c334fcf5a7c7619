package io.kakehashi.core.statemachine;

import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WakeupSettingsTest {

    @Nested
    class Timings {

        @Test
        void timings_whenDefaults_shouldReadThem() {
            var timings = StateMachineWakeupsExtension.timings("PT2S", "PT0.2S", "PT0.02S");

            assertThat(timings).isEqualTo(new WakeupTimings(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(20)));
        }

        @Test
        void timings_whenTheIdleWaitIsNoDuration_shouldNameTheKey() {
            assertThatThrownBy(() -> StateMachineWakeupsExtension.timings("2s", "PT0.2S", "PT0.02S"))
                    .isInstanceOf(EdcException.class)
                    .hasMessageStartingWith("Invalid setting '" + StateMachineWakeupsExtension.IDLE_WAIT_KEY + "'");
        }

        @Test
        void timings_whenTheIdleWaitIsZero_shouldRefuseIt() {
            // a zero idle wait would make every idle loop spin
            assertThatThrownBy(() -> StateMachineWakeupsExtension.timings("PT0S", "PT0.2S", "PT0.02S"))
                    .hasMessageContaining(StateMachineWakeupsExtension.IDLE_WAIT_KEY);
        }

        @Test
        void timings_whenTheAfterWakeWaitIsZero_shouldRefuseIt() {
            assertThatThrownBy(() -> StateMachineWakeupsExtension.timings("PT2S", "PT0.2S", "PT0S"))
                    .hasMessageContaining(StateMachineWakeupsExtension.AFTER_WAKE_WAIT_KEY);
        }
    }

    @Nested
    class RequestRouting {

        @Test
        void protocolKinds_shouldWakeTheMachineTheMessageIsFor() {
            assertThat(WakeOnRequestFilter.protocolKinds("2025-1/negotiations/urn:uuid:1/agreement")).containsExactly(StateMachineKind.NEGOTIATION);
            assertThat(WakeOnRequestFilter.protocolKinds("2025-1/transfers/request")).containsExactly(StateMachineKind.TRANSFER);
            assertThat(WakeOnRequestFilter.protocolKinds("2025-1/catalog/request")).isEmpty();
        }

        @Test
        void kinds_ofTheStateMachineLoops_shouldBeKnownByTheirExecutorNames() {
            assertThat(StateMachineKind.ofExecutor("ProviderContractNegotiationManagerImpl")).contains(StateMachineKind.NEGOTIATION);
            assertThat(StateMachineKind.ofExecutor("PolicyMonitorManagerImpl")).contains(StateMachineKind.POLICY_MONITOR);
            assertThat(StateMachineKind.ofExecutor("Data plane transfers")).isEmpty();
        }

        @Test
        void wokenAfterWork_shouldLinkTheDataPlaneAndTheTransfers() {
            assertThat(StateMachineKind.DATA_PLANE.wokenAfterWork()).isEqualTo(Set.of(StateMachineKind.TRANSFER));
            assertThat(StateMachineKind.TRANSFER.wokenAfterWork()).contains(StateMachineKind.DATA_PLANE);
            assertThat(StateMachineKind.NEGOTIATION.wokenAfterWork()).isEmpty();
        }
    }
}
