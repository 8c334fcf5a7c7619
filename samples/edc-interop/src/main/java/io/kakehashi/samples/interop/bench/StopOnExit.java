package io.kakehashi.samples.interop.bench;

import java.util.concurrent.TimeUnit;

/**
 * Makes sure no connector JVM outlives the benchmark when it is interrupted (Ctrl-C, SIGTERM): at exit, every process
 * this JVM started and that still runs is asked to stop, and forced after a grace period. The benchmark starts no
 * other processes.
 * <p>
 * Thread-safe.
 */
final class StopOnExit {

    private static final long GRACE_SECONDS = 20;

    private StopOnExit() {
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(StopOnExit::stopChildren, "stop-connectors"));
    }

    private static void stopChildren() {
        var children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
        children.forEach(ProcessHandle::destroy);
        for (var child : children) {
            try {
                child.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }
}
