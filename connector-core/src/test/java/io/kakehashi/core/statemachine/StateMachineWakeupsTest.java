package io.kakehashi.core.statemachine;

import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.statemachine.StateMachineManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * EDC's own {@link StateMachineManager} loop, given its executor by {@link StateMachineWakeups}: work announced by a
 * wake-up is processed while the loop's idle wait (an hour here) has far to go; work nobody announces waits.
 */
class StateMachineWakeupsTest {

    private static final WakeupTimings AN_HOUR_IDLE = new WakeupTimings(Duration.ofHours(1), Duration.ZERO, Duration.ofMillis(1));
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    private final ConcurrentLinkedQueue<String> work = new ConcurrentLinkedQueue<>();
    private final AtomicInteger processed = new AtomicInteger();
    private final AtomicInteger iterations = new AtomicInteger();
    private final StateMachineWakeups wakeups = new StateMachineWakeups(AN_HOUR_IDLE);
    private StateMachineManager loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
        executor.shutdownNow();
    }

    // EDC's loop makes its own executor (no thread until used); this one's queue the tests can look at
    private org.eclipse.edc.spi.system.ExecutorInstrumentation onTestExecutor() {
        return new org.eclipse.edc.spi.system.ExecutorInstrumentation() {
            @Override
            public java.util.concurrent.ScheduledExecutorService instrument(java.util.concurrent.ScheduledExecutorService target, String name) {
                target.shutdown();
                return wakeups.instrument(executor, name);
            }
        };
    }

    private void startLoop(String name) {
        loop = StateMachineManager.Builder.newInstance(name, new ConsoleMonitor(), onTestExecutor(), () -> 1000L)
                .processor(() -> {
                    iterations.incrementAndGet();
                    var count = 0L;
                    while (work.poll() != null) {
                        processed.incrementAndGet();
                        count++;
                    }
                    return count;
                })
                .build();
        loop.start();
        // the first iteration finds nothing and the loop starts its idle wait
        await().atMost(AWAIT).until(() -> iterations.get() >= 1 && executor.getQueue().size() == 1);
    }

    @Test
    void wake_whenWorkWasSaved_shouldRunTheLoopBeforeItsIdleWaitEnds() {
        startLoop("TransferProcessManagerImpl");

        work.add("transfer");
        wakeups.wake(Set.of(StateMachineKind.TRANSFER));

        await().atMost(AWAIT).untilAtomic(processed, org.hamcrest.Matchers.is(1));
    }

    @Test
    void idle_withoutWakeUps_shouldWaitTheIdleWait() {
        startLoop("TransferProcessManagerImpl");

        work.add("saved without a wake-up");

        var next = executor.getQueue().peek();
        assertThat(next).isNotNull();
        assertThat(((java.util.concurrent.Delayed) next).getDelay(TimeUnit.MINUTES)).isGreaterThan(50);
        assertThat(processed.get()).isZero();
    }

    @Test
    void wake_ofAnotherKind_shouldLeaveTheLoopWaiting() {
        startLoop("TransferProcessManagerImpl");
        var iterationsBefore = iterations.get();

        wakeups.wake(Set.of(StateMachineKind.NEGOTIATION, StateMachineKind.DATA_PLANE));

        assertThat(executor.getQueue()).hasSize(1);
        assertThat(((java.util.concurrent.Delayed) executor.getQueue().peek()).getDelay(TimeUnit.MINUTES)).isGreaterThan(50);
        assertThat(iterations.get()).isEqualTo(iterationsBefore);
    }

    @Test
    void wake_whileTheLoopRuns_shouldMakeTheNextIterationFollowAtOnce() {
        var inside = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        loop = StateMachineManager.Builder.newInstance("ConsumerContractNegotiationManagerImpl", new ConsoleMonitor(),
                        onTestExecutor(), () -> 1000L)
                .processor(() -> {
                    if (iterations.incrementAndGet() == 2) {
                        inside.countDown();
                        await().atMost(AWAIT).until(() -> release.getCount() == 0);
                    }
                    var count = 0L;
                    while (work.poll() != null) {
                        processed.incrementAndGet();
                        count++;
                    }
                    return count;
                })
                .build();
        loop.start();
        await().atMost(AWAIT).until(() -> iterations.get() >= 1 && executor.getQueue().size() == 1);
        wakeups.wake(Set.of(StateMachineKind.NEGOTIATION));
        await().atMost(AWAIT).until(() -> inside.getCount() == 0);

        // saved after the running iteration looked, announced while it still runs
        work.add("negotiation");
        wakeups.wake(Set.of(StateMachineKind.NEGOTIATION));
        release.countDown();

        await().atMost(AWAIT).untilAtomic(processed, org.hamcrest.Matchers.is(1));
    }

    @Test
    void stop_duringTheIdleWait_shouldEndTheLoop() {
        startLoop("DataPlaneManagerImpl");

        loop.stop();

        assertThat(executor.isTerminated()).isTrue();
    }

    @Nested
    class Executors_ {

        @Test
        void instrument_whenTheExecutorIsNoStateMachines_shouldReturnItUnchanged() {
            var other = Executors.newSingleThreadScheduledExecutor();
            try {
                assertThat(wakeups.instrument(other, "JTI reaper")).isSameAs(other);
                assertThat(wakeups.loopCount(StateMachineKind.TRANSFER)).isZero();
            } finally {
                other.shutdownNow();
            }
        }

        @Test
        void instrument_dataPlaneTransfers_shouldWakeTheDataPlaneLoopAfterEachTask() {
            startLoop("DataPlaneManagerImpl");
            var transfers = wakeups.instrument(Executors.newSingleThreadExecutor(), StateMachineWakeups.DATA_PLANE_TRANSFERS);
            try {
                transfers.execute(() -> work.add("transfer finished"));

                await().atMost(AWAIT).untilAtomic(processed, org.hamcrest.Matchers.is(1));
            } finally {
                transfers.shutdownNow();
            }
        }
    }
}
