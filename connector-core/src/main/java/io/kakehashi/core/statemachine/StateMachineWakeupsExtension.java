package io.kakehashi.core.statemachine;

import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.system.ExecutorInstrumentation;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Duration;

/**
 * Gives EDC's state-machine loops (negotiation, transfer, data plane, policy monitor) an executor whose idle wait a
 * wake-up cuts short, through EDC's {@link ExecutorInstrumentation}, and registers the {@link StateMachineWakeups} that
 * {@link WakeOnWorkExtension} wakes. With {@value #WAKE_ON_WORK_KEY} off, the loops keep EDC's plain polling
 * ({@code edc.*.state-machine.iteration-wait-millis}). See decision record 0025.
 */
@Extension(StateMachineWakeupsExtension.NAME)
@Provides({ExecutorInstrumentation.class, StateMachineWakeups.class})
public class StateMachineWakeupsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi state-machine wake-ups";
    public static final String WAKE_ON_WORK_KEY = "kakehashi.state-machine.wake-on-work";
    public static final String IDLE_WAIT_KEY = "kakehashi.state-machine.idle-wait";
    public static final String AFTER_WAKE_WINDOW_KEY = "kakehashi.state-machine.after-wake-window";
    public static final String AFTER_WAKE_WAIT_KEY = "kakehashi.state-machine.after-wake-wait";

    @Setting(key = WAKE_ON_WORK_KEY, defaultValue = "true",
            description = "Run a state machine as soon as work arrives (DSP message, management request, saved state) and wait "
                    + IDLE_WAIT_KEY + " otherwise; false keeps EDC's polling every edc.*.state-machine.iteration-wait-millis")
    private boolean wakeOnWork;
    @Setting(key = IDLE_WAIT_KEY, defaultValue = "PT2S",
            description = "With wake-ups on: the wait of a state machine that found no work and was not woken; bounds how late a retry or work saved by another replica is found")
    private String idleWait;
    @Setting(key = AFTER_WAKE_WINDOW_KEY, defaultValue = "PT0.2S",
            description = "With wake-ups on: how long after a wake-up a state machine keeps looking every " + AFTER_WAKE_WAIT_KEY)
    private String afterWakeWindow;
    @Setting(key = AFTER_WAKE_WAIT_KEY, defaultValue = "PT0.02S",
            description = "With wake-ups on: the wait between iterations within " + AFTER_WAKE_WINDOW_KEY)
    private String afterWakeWait;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var timings = timings(idleWait, afterWakeWindow, afterWakeWait);
        var wakeups = new StateMachineWakeups(timings);
        context.registerService(StateMachineWakeups.class, wakeups);
        context.registerService(ExecutorInstrumentation.class, wakeOnWork ? wakeups : ExecutorInstrumentation.noop());
        var monitor = context.getMonitor().withPrefix("StateMachines");
        if (wakeOnWork) {
            monitor.debug(() -> "state machines run on work and otherwise wait %s".formatted(timings.idleWait()));
        } else {
            monitor.info("'%s' is false: state machines poll as EDC configures them".formatted(WAKE_ON_WORK_KEY));
        }
    }

    static WakeupTimings timings(String idleWait, String afterWakeWindow, String afterWakeWait) {
        return new WakeupTimings(
                SettingValues.require(SettingValues.duration(IDLE_WAIT_KEY, idleWait, Duration.ofMillis(10), Duration.ofHours(1))),
                SettingValues.require(SettingValues.duration(AFTER_WAKE_WINDOW_KEY, afterWakeWindow, Duration.ZERO, Duration.ofMinutes(1))),
                SettingValues.require(SettingValues.duration(AFTER_WAKE_WAIT_KEY, afterWakeWait, Duration.ofMillis(1), Duration.ofMinutes(1))));
    }
}
