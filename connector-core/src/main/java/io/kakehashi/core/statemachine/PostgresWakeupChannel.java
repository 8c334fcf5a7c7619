package io.kakehashi.core.statemachine;

import org.eclipse.edc.spi.monitor.Monitor;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Carries wake-ups between replicas that share one PostgreSQL database: a wake-up raised here is sent as
 * {@code NOTIFY} on {@value #CHANNEL} (this replica's origin and the kinds woken as the payload), and one sent by
 * another replica wakes this
 * replica's loops of those kinds. Wake-ups raised while one is being sent go out together in the next. A lost
 * notification (a broken connection, a replica restarting) costs latency only: every loop still looks every idle wait.
 * <p>
 * Thread-safe. One thread listens (holding one connection), one sends.
 */
final class PostgresWakeupChannel implements AutoCloseable {

    static final String CHANNEL = "kakehashi_state_machines";
    private static final int LISTEN_TIMEOUT_MILLIS = 1000;
    private static final long RECONNECT_MILLIS = 1000;

    /** Opens a connection to the shared database; the channel closes it. */
    @FunctionalInterface
    interface Connections {
        Connection open() throws SQLException;
    }

    /** Runs {@code SELECT pg_notify(channel, payload)} in a transaction of its own, committed when it returns. */
    @FunctionalInterface
    interface Notifier {
        void notify(String channel, String payload);
    }

    private final Connections connections;
    private final Notifier notifier;
    private final StateMachineWakeups local;
    private final Monitor monitor;
    private final Object pendingLock = new Object();
    private final EnumSet<StateMachineKind> pending = EnumSet.noneOf(StateMachineKind.class);
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(daemon("kakehashi-wakeup-sender"));
    // this replica's notifications come back to its own listener; they carry this origin so that it skips them
    private final String origin = java.util.UUID.randomUUID().toString();
    private volatile Thread listener;

    /**
     * @param connections opens the listener's connection
     * @param notifier    sends a notification
     */
    PostgresWakeupChannel(Connections connections, Notifier notifier, StateMachineWakeups local, Monitor monitor) {
        this.connections = connections;
        this.notifier = notifier;
        this.local = local;
        this.monitor = monitor;
    }

    void start() {
        if (running.compareAndSet(false, true)) {
            listener = daemon("kakehashi-wakeup-listener").newThread(this::listen);
            listener.start();
        }
    }

    /** Sends a wake-up of {@code kinds} to the other replicas, together with any raised while the last was sent. */
    void announce(Set<StateMachineKind> kinds) {
        if (kinds.isEmpty() || !running.get()) {
            return;
        }
        synchronized (pendingLock) {
            var idle = pending.isEmpty();
            pending.addAll(kinds);
            if (!idle) {
                return;
            }
        }
        sender.execute(this::send);
    }

    private void send() {
        Set<StateMachineKind> kinds;
        synchronized (pendingLock) {
            kinds = EnumSet.copyOf(pending);
            pending.clear();
        }
        var payload = origin + ":" + kinds.stream().map(Enum::name).collect(Collectors.joining(","));
        try {
            notifier.notify(CHANNEL, payload);
        } catch (RuntimeException e) {
            monitor.debug(() -> "could not tell the other replicas of new work: " + e.getMessage());
        }
    }

    private void listen() {
        while (running.get()) {
            try (var connection = connections.open()) {
                connection.setAutoCommit(true);
                try (var statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                var postgres = connection.unwrap(PGConnection.class);
                while (running.get()) {
                    var notifications = postgres.getNotifications(LISTEN_TIMEOUT_MILLIS);
                    if (notifications == null) {
                        continue;
                    }
                    var kinds = EnumSet.noneOf(StateMachineKind.class);
                    for (var notification : notifications) {
                        kinds.addAll(parse(origin, notification.getParameter()));
                    }
                    local.wakeHere(kinds);
                }
            } catch (SQLException | RuntimeException e) {
                if (running.get()) {
                    monitor.warning("listening for other replicas' work failed, retrying in %d ms (loops still look every idle wait): %s"
                            .formatted(RECONNECT_MILLIS, e.getClass().getSimpleName() + ": " + e.getMessage()));
                    sleep();
                }
            }
        }
    }

    // a payload is "<origin>:<kind>,<kind>…"; this replica's own and anything else on the channel wake nothing
    static Set<StateMachineKind> parse(String ownOrigin, String payload) {
        var kinds = EnumSet.noneOf(StateMachineKind.class);
        var colon = payload == null ? -1 : payload.indexOf(':');
        if (colon < 0 || payload.substring(0, colon).equals(ownOrigin)) {
            return kinds;
        }
        Arrays.stream(payload.substring(colon + 1).split(",")).map(String::strip).forEach(name -> {
            for (var kind : StateMachineKind.values()) {
                if (kind.name().equals(name)) {
                    kinds.add(kind);
                }
            }
        });
        return kinds;
    }

    private static void sleep() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            var thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        running.set(false);
        sender.shutdownNow();
        var thread = listener;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(LISTEN_TIMEOUT_MILLIS * 2L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
