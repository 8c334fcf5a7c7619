package io.kakehashi.ai.spi;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a compute job: {@code QUEUED → RUNNING → COMPLETED | FAILED | CANCELLED}; a queued job may also fail
 * (a policy denial: nothing runs) or be cancelled. The final states have no way out. The whole state table is
 * {@link #TRANSITIONS}; stores refuse any other move, and every move of a job on either side goes through
 * {@code io.kakehashi.ai.core.JobLifecycle}. The names are what the stores persist: never rename one.
 */
public enum JobState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    /** Which state may follow which: the only moves a job store accepts. */
    public static final Map<JobState, Set<JobState>> TRANSITIONS = Map.of(
            QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
            RUNNING, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.noneOf(JobState.class),
            CANCELLED, EnumSet.noneOf(JobState.class));

    public boolean canTransitionTo(JobState next) {
        return TRANSITIONS.get(this).contains(next);
    }

    public boolean isFinal() {
        return TRANSITIONS.get(this).isEmpty();
    }
}
