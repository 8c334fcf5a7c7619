package io.kakehashi.ai.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class JobStateTest {

    @Test
    void canTransitionTo_shouldFollowTheLifeCycle() {
        assertThat(JobState.QUEUED.canTransitionTo(JobState.RUNNING)).isTrue();
        assertThat(JobState.QUEUED.canTransitionTo(JobState.FAILED)).isTrue();
        assertThat(JobState.QUEUED.canTransitionTo(JobState.CANCELLED)).isTrue();
        assertThat(JobState.QUEUED.canTransitionTo(JobState.COMPLETED)).isFalse();
        assertThat(JobState.RUNNING.canTransitionTo(JobState.COMPLETED)).isTrue();
        assertThat(JobState.RUNNING.canTransitionTo(JobState.QUEUED)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void canTransitionTo_fromAFinalState_shouldAllowNothing(JobState state) {
        assertThat(state.isFinal()).isTrue();
        for (var next : JobState.values()) {
            assertThat(state.canTransitionTo(next)).isFalse();
        }
    }
}
