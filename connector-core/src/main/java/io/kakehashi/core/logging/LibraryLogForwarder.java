package io.kakehashi.core.logging;

import org.eclipse.edc.spi.monitor.Monitor;
import org.slf4j.event.Level;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the log lines of the connector's libraries go: SLF4J ({@link MonitorSlf4jServiceProvider}) and
 * java.util.logging ({@link MonitorJulHandler}) hand their records here, and those at or above the threshold (WARN
 * until the runtime says otherwise) reach the runtime's {@link Monitor} as {@code [logger] message}. The monitor is the
 * one the runtime hands out, so whatever wraps it (redaction of secrets) applies to libraries' lines too.
 *
 * <p>Libraries log before the runtime has a monitor (class loading, Jetty's start): those lines wait, at most
 * {@value #PENDING_LIMIT} of them, and go out when a monitor is attached; how many did not fit is reported then. A
 * message is cut at {@value #MESSAGE_LIMIT} characters, so a library that quotes its input cannot copy a payload into
 * the log.
 *
 * <p>Thread-safe.
 */
public final class LibraryLogForwarder {

    static final int PENDING_LIMIT = 500;
    static final int MESSAGE_LIMIT = 2_000;

    private static final LibraryLogForwarder INSTANCE = new LibraryLogForwarder();

    // a monitor that itself writes to SLF4J or java.util.logging would send its line back here, for ever
    private final ThreadLocal<Boolean> forwarding = ThreadLocal.withInitial(() -> false);
    private final Object lock = new Object();
    private final ArrayDeque<Line> pending = new ArrayDeque<>();
    private volatile Monitor monitor;
    private volatile int threshold = Level.WARN.toInt();
    private long dropped;

    LibraryLogForwarder() {
    }

    /**
     * The forwarder of this JVM, which the SLF4J provider and the java.util.logging handler write to.
     */
    public static LibraryLogForwarder instance() {
        return INSTANCE;
    }

    /**
     * Sends every line from now on, and those that waited, at or above {@code threshold} to {@code monitor}.
     */
    public void attach(Monitor monitor, Level threshold) {
        List<Line> waiting;
        long lost;
        synchronized (lock) {
            this.threshold = threshold.toInt();
            this.monitor = monitor;
            waiting = new ArrayList<>(pending);
            pending.clear();
            lost = dropped;
            dropped = 0;
        }
        for (var line : waiting) {
            if (isEnabled(line.level())) {
                send(monitor, line);
            }
        }
        if (lost > 0) {
            monitor.warning("%d library log lines written before start-up did not fit in the buffer and are lost".formatted(lost));
        }
    }

    public boolean isEnabled(Level level) {
        return level.toInt() >= threshold;
    }

    /**
     * Forwards one line of the logger {@code source} if its level is enabled.
     */
    public void log(Level level, String source, String message, Throwable error) {
        if (!isEnabled(level)) {
            return;
        }
        var line = new Line(level, "[%s] %s".formatted(source, cut(message)), error);
        var target = monitor;
        if (target == null) {
            synchronized (lock) {
                target = monitor;
                if (target == null) {
                    if (pending.size() < PENDING_LIMIT) {
                        pending.add(line);
                    } else {
                        dropped++;
                    }
                    return;
                }
            }
        }
        send(target, line);
    }

    private void send(Monitor monitor, Line line) {
        if (forwarding.get()) {
            return;
        }
        forwarding.set(true);
        try {
            sendOnce(monitor, line);
        } finally {
            forwarding.set(false);
        }
    }

    private static void sendOnce(Monitor monitor, Line line) {
        var errors = line.error() == null ? new Throwable[0] : new Throwable[]{line.error()};
        switch (line.level()) {
            case ERROR -> monitor.severe(line.text(), errors);
            case WARN -> monitor.warning(line.text(), errors);
            case INFO -> monitor.info(line.text(), errors);
            default -> monitor.debug(line.text(), errors);
        }
    }

    private static String cut(String message) {
        if (message == null) {
            return "";
        }
        if (message.length() <= MESSAGE_LIMIT) {
            return message;
        }
        return message.substring(0, MESSAGE_LIMIT) + "… (%d characters cut)".formatted(message.length() - MESSAGE_LIMIT);
    }

    private record Line(Level level, String text, Throwable error) {
    }
}
