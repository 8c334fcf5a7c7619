package io.kakehashi.core.metrics;

import io.kakehashi.core.statemachine.StateMachineWakeups;
import io.kakehashi.core.statemachine.StateMachineWakeupsExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.metrics.micrometer.MicrometerExecutorInstrumentation;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.system.ExecutorInstrumentation;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * EDC keeps one {@link ExecutorInstrumentation}, and two extensions want it: the state-machine wake-ups (decision 0025),
 * which must see every loop's schedule, and EDC's Micrometer extension, which counts executor tasks. Both register one;
 * which would win depends on the order EDC happens to initialise them in. This extension depends on both, so it comes
 * after them and registers the one that is used: Micrometer's executor meters on EDC's own executor, the wake-ups
 * around them. Micrometer binds pool meters only to the JDK's executors: given a wake-up wrapper it warned "Failed to
 * bind … is unsupported" for each state machine at every start.
 */
@Extension(ExecutorMetricsExtension.NAME)
@Provides(ExecutorInstrumentation.class)
public class ExecutorMetricsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi executor metrics around state-machine wake-ups";

    @Setting(key = StateMachineWakeupsExtension.WAKE_ON_WORK_KEY, defaultValue = "true",
            description = "Run a state machine as soon as work arrives; see the state-machine wake-ups extension")
    private boolean wakeOnWork;
    @Setting(key = "edc.metrics.enabled", defaultValue = "true", description = "EDC's Micrometer meters on or off")
    private boolean metrics;
    @Setting(key = "edc.metrics.executor.enabled", defaultValue = "true", description = "EDC's executor meters on or off")
    private boolean executorMetrics;

    @Inject
    private MeterRegistry registry;
    @Inject
    private StateMachineWakeups wakeups;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        context.registerService(ExecutorInstrumentation.class,
                compose(metrics && executorMetrics ? new MicrometerExecutorInstrumentation(registry) : ExecutorInstrumentation.noop(),
                        wakeOnWork ? wakeups : ExecutorInstrumentation.noop()));
    }

    /** {@code inner} instruments the executor first; {@code outer} wraps what it made and hands every schedule to it. */
    static ExecutorInstrumentation compose(ExecutorInstrumentation inner, ExecutorInstrumentation outer) {
        return new ExecutorInstrumentation() {
            @Override
            public ScheduledExecutorService instrument(ScheduledExecutorService target, String name) {
                return outer.instrument(inner.instrument(target, name), name);
            }

            @Override
            public ExecutorService instrument(ExecutorService target, String name) {
                return outer.instrument(inner.instrument(target, name), name);
            }
        };
    }
}
