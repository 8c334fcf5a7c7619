package io.kakehashi.core.metrics;

import io.kakehashi.core.statemachine.StateMachineKind;
import io.kakehashi.core.statemachine.StateMachineWakeups;
import io.kakehashi.core.statemachine.WakeupTimings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.edc.metrics.micrometer.MicrometerExecutorInstrumentation;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.statemachine.StateMachineManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExecutorMetricsExtensionTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StateMachineWakeups wakeups = new StateMachineWakeups(
            new WakeupTimings(Duration.ofHours(1), Duration.ZERO, Duration.ofMillis(1)));
    private StateMachineManager loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    @Test
    void composed_shouldWakeTheLoopAndCountItsTasks() {
        var work = new AtomicInteger();
        var processed = new AtomicInteger();
        var iterations = new AtomicInteger();
        var instrumentation = ExecutorMetricsExtension.compose(new MicrometerExecutorInstrumentation(registry), wakeups);
        loop = StateMachineManager.Builder.newInstance("TransferProcessManagerImpl", new ConsoleMonitor(), instrumentation, () -> 1000L)
                .processor(() -> {
                    iterations.incrementAndGet();
                    var taken = work.getAndSet(0);
                    processed.addAndGet(taken);
                    return (long) taken;
                })
                .build();
        loop.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> iterations.get() >= 1);

        // the loop now waits an hour unless woken: only the wake-ups around the meters can make it run
        work.set(1);
        wakeups.wake(Set.of(StateMachineKind.TRANSFER));

        await().atMost(Duration.ofSeconds(20)).until(() -> processed.get() == 1);
        // Micrometer's executor meters are kept around the woken loop: the iterations were timed
        assertThat(registry.find("executor").tag("name", "TransferProcessManagerImpl").timer())
                .isNotNull().satisfies(timer -> assertThat(timer.count()).isGreaterThanOrEqualTo(2));
    }
}
