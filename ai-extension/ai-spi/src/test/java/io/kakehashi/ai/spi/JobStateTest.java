package io.kakehashi.ai.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class JobStateTest {

    @Test
    void canMoveTo_shouldFollowTheLifeCycle() {
        assertThat(JobState.QUEUED.canMoveTo(JobState.RUNNING)).isTrue();
        assertThat(JobState.QUEUED.canMoveTo(JobState.FAILED)).isTrue();
        assertThat(JobState.QUEUED.canMoveTo(JobState.CANCELLED)).isTrue();
        assertThat(JobState.QUEUED.canMoveTo(JobState.COMPLETED)).isFalse();
        assertThat(JobState.RUNNING.canMoveTo(JobState.COMPLETED)).isTrue();
        assertThat(JobState.RUNNING.canMoveTo(JobState.QUEUED)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void canMoveTo_fromAFinalState_shouldAllowNothing(JobState state) {
        assertThat(state.isFinal()).isTrue();
        for (var next : JobState.values()) {
            assertThat(state.canMoveTo(next)).isFalse();
        }
    }
}
