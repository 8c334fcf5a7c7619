package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.RemoteJob;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final JobDescription SQL = JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1"));

    private final InMemoryComputeJobStore store = new InMemoryComputeJobStore();
    private final List<JobRecord> ended = new ArrayList<>();
    private final JobLifecycle<JobRecord> lifecycle = JobLifecycle.of(store, ended::add, new ConsoleMonitor());

    private JobRecord queued(String id) {
        var job = JobRecord.queued(id, "agreement-1", "asset-1", "ai-vendor", SQL, NOW);
        assertThat(store.create(job).succeeded()).isTrue();
        return job;
    }

    private JobRecord moveTo(String id, JobState state) {
        return lifecycle.transition(id, state, j -> j.withState(state, null, NOW)).getContent();
    }

    @Nested
    class Transition {

        @Test
        void transition_alongTheTable_shouldSaveTheJob() {
            queued("job-1");

            var running = lifecycle.transition("job-1", JobState.RUNNING, j -> j.withState(JobState.RUNNING, null, NOW));

            assertThat(running.succeeded()).isTrue();
            assertThat(store.findById("job-1")).get().extracting(JobRecord::state).isEqualTo(JobState.RUNNING);
            assertThat(ended).isEmpty();
        }

        @Test
        void transition_notInTheTable_shouldBeRefusedAndChangeNothing() {
            queued("job-1");

            var completed = lifecycle.transition("job-1", JobState.COMPLETED, j -> j.completed("ab".repeat(32), NOW));

            assertThat(completed.failed()).isTrue();
            assertThat(completed.getFailureDetail()).isEqualTo("job job-1: cannot move from QUEUED to COMPLETED");
            assertThat(store.findById("job-1")).get().satisfies(j -> {
                assertThat(j.state()).isEqualTo(JobState.QUEUED);
                assertThat(j.resultHash()).isNull();
            });
            assertThat(ended).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(value = JobState.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
        void transition_outOfAFinalState_shouldBeRefused(JobState finalState) {
            queued("job-1");
            moveTo("job-1", JobState.RUNNING);
            moveTo("job-1", finalState);

            for (var next : JobState.values()) {
                var moved = lifecycle.transition("job-1", next, j -> j.withState(next, "again", NOW));
                assertThat(moved.failed()).as("%s -> %s", finalState, next).isTrue();
            }
            assertThat(store.findById("job-1")).get().extracting(JobRecord::state).isEqualTo(finalState);
            assertThat(ended).hasSize(1);
        }

        @Test
        void transition_whoseChangeEndsElsewhere_shouldBeRefused() {
            queued("job-1");

            var moved = lifecycle.transition("job-1", JobState.RUNNING, j -> j.withState(JobState.CANCELLED, "sneaky", NOW));

            assertThat(moved.failed()).isTrue();
            assertThat(moved.getFailureDetail()).contains("must end in RUNNING");
            assertThat(store.findById("job-1")).get().extracting(JobRecord::state).isEqualTo(JobState.QUEUED);
        }

        @Test
        void transition_ofAnUnknownJob_shouldBeNotFound() {
            var moved = lifecycle.transition("nope", JobState.RUNNING, j -> j.withState(JobState.RUNNING, null, NOW));

            assertThat(moved.failed()).isTrue();
            assertThat(moved.reason()).isEqualTo(org.eclipse.edc.spi.result.StoreFailure.Reason.NOT_FOUND);
        }

        @Test
        void transition_toAFinalState_shouldRunTheEndStepAndCompleteTheWaiters() {
            queued("job-1");
            var waiter = lifecycle.whenFinished("job-1").orElseThrow();
            assertThat(waiter).isNotDone();

            moveTo("job-1", JobState.CANCELLED);

            assertThat(waiter).isCompleted();
            assertThat(waiter.join().state()).isEqualTo(JobState.CANCELLED);
            assertThat(ended).extracting(JobRecord::id).containsExactly("job-1");
        }
    }

    @Nested
    class Amend {

        @Test
        void amend_keepingTheState_shouldSave() {
            queued("job-1");
            moveTo("job-1", JobState.RUNNING);

            var amended = lifecycle.amend("job-1", j -> j.withProgress(0.5, NOW));

            assertThat(amended.succeeded()).isTrue();
            assertThat(store.findById("job-1")).get().extracting(JobRecord::progress).isEqualTo(0.5);
        }

        @Test
        void amend_movingTheState_shouldBeRefused() {
            queued("job-1");

            var amended = lifecycle.amend("job-1", j -> j.withState(JobState.RUNNING, null, NOW));

            assertThat(amended.failed()).isTrue();
            assertThat(store.findById("job-1")).get().extracting(JobRecord::state).isEqualTo(JobState.QUEUED);
        }
    }

    @Test
    void whenFinished_ofAnEndedJob_shouldBeDoneAndOfAnUnknownJobEmpty() {
        queued("job-1");
        moveTo("job-1", JobState.FAILED);

        assertThat(lifecycle.whenFinished("job-1")).get().satisfies(f -> assertThat(f).isCompleted());
        assertThat(lifecycle.whenFinished("nope")).isEmpty();
    }

    @Test
    void consumerSide_shouldFollowTheSameTable() {
        var remote = new InMemoryRemoteJobStore();
        var ends = new ArrayList<RemoteJob>();
        var consumer = JobLifecycle.of(remote, ends::add, new ConsoleMonitor());
        remote.create(RemoteJob.queued("job-2", "agreement-1", "asset-1", "provider", "http://127.0.0.1:1/protocol", SQL, NOW));

        var completed = consumer.transition("job-2", JobState.COMPLETED, j -> j.ended(JobState.COMPLETED, null, "p-1", "ab".repeat(32), "cd".repeat(32), NOW));
        var cancelled = consumer.transition("job-2", JobState.CANCELLED, j -> j.withState(JobState.CANCELLED, "cancelled by consumer", NOW));

        assertThat(completed.failed()).isTrue();
        assertThat(completed.getFailureDetail()).isEqualTo("job job-2: cannot move from QUEUED to COMPLETED");
        assertThat(cancelled.succeeded()).isTrue();
        assertThat(ends).extracting(RemoteJob::state).containsExactly(JobState.CANCELLED);
    }
}
