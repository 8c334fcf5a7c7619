package io.kakehashi.samples.support;

/** Daemon threads for the samples' loopback servers, so that they never keep a JVM alive. Stateless. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static Thread daemonThread(Runnable runnable) {
        var thread = new Thread(runnable, "sample-http");
        thread.setDaemon(true);
        return thread;
    }
}
