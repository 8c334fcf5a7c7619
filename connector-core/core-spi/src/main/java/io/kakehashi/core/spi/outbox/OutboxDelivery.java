package io.kakehashi.core.spi.outbox;

import io.kakehashi.core.spi.outbox.StatementOutbox.Outcome;
import io.kakehashi.core.spi.outbox.StatementOutbox.Pending;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the statements of one kind from a {@link StatementOutbox}, on a thread of its own: a statement is kept in the
 * outbox before its first attempt ({@link #submit}) and, once {@link #start}ed, every statement of the kind not done
 * is sent — those of an earlier run of the connector included. An answer 2xx delivered it; 404 means the peer takes
 * none of this kind; another 4xx refused this one; a 5xx or an unreachable peer is tried again after 1, 2, 4 … s (at
 * most {@link Settings#lastRetry()} apart) up to {@link Settings#attempts()} attempts in all, counted across
 * restarts; an attempt cut short because the delivery is closing is not counted. A statement is claimed only for its
 * attempt; a replica that dies while sending leaves a claim that runs out after {@link Settings#lease()}, and the
 * statement is then sent by whichever replica claims it, so a peer may receive a statement twice (at least once,
 * never lost) and must take the same statement again as a success.
 * Thread-safe.
 */
public final class OutboxDelivery implements AutoCloseable {

    /** Sends one statement and answers the HTTP status of the peer's answer. */
    @FunctionalInterface
    public interface Transport {
        int send(String address, String statement) throws IOException;
    }

    /** Told once of each statement that is done, by the replica that finished it. */
    @FunctionalInterface
    public interface Listener {
        void finished(Pending statement, Outcome outcome, String detail);
    }

    /**
     * How statements are sent.
     *
     * @param attempts   attempts in all before a statement is given up, at least 1
     * @param firstRetry the wait after the first failed attempt, doubled after each further one
     * @param lastRetry  the longest wait between two attempts
     * @param lease      how long a claim holds a statement for its attempt; longer than a send can take
     * @param batch      how many statements one pass claims
     */
    public record Settings(int attempts, Duration firstRetry, Duration lastRetry, Duration lease, int batch) {

        public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
        public static final Duration LAST_RETRY = Duration.ofMinutes(5);
        public static final Duration LEASE = Duration.ofMinutes(2);

        public Settings {
            if (attempts < 1 || batch < 1 || firstRetry.isNegative() || lastRetry.compareTo(firstRetry) < 0 || lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("invalid outbox delivery settings: " + attempts + ", " + firstRetry + ", " + lastRetry + ", " + lease + ", " + batch);
            }
        }

        /** {@code attempts} with the connector's back-off: 1 s, doubled, at most 5 min apart; claims of 2 min. */
        public static Settings attempts(int attempts) {
            return new Settings(attempts, FIRST_RETRY, LAST_RETRY, LEASE, 50);
        }
    }

    private static final Duration AFTER_STORE_FAILURE = Duration.ofSeconds(5);
    private static final Duration MINIMUM_WAIT = Duration.ofMillis(100);

    private final StatementOutbox outbox;
    private final String kind;
    private final Transport transport;
    private final Settings settings;
    private final Clock clock;
    private final Monitor monitor;
    private final Listener listener;
    private final String holder = UUID.randomUUID().toString();
    private final ScheduledExecutorService executor;
    private ScheduledFuture<?> next;
    private boolean started;
    private boolean closed;

    public OutboxDelivery(StatementOutbox outbox, String kind, Transport transport, Settings settings, Clock clock, Monitor monitor, Listener listener) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.listener = listener == null ? (statement, outcome, detail) -> { } : listener;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-outbox-" + kind);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sending: every statement of the kind not done, then each one submitted. */
    public synchronized void start() {
        started = true;
        schedule(Duration.ZERO);
    }

    /**
     * Keeps a statement for {@code address} in the outbox (durable when this returns) and sends it as soon as the
     * delivery runs.
     */
    public Pending submit(String address, String statement) {
        var pending = outbox.put(kind, address, statement, clock.instant());
        synchronized (this) {
            if (started) {
                schedule(Duration.ZERO);
            }
        }
        return pending;
    }

    /**
     * Sends soon what is due: for a statement put in the outbox by other means than {@link #submit} (a draft
     * {@link StatementOutbox#complete}d into this kind); without it, such a statement waits for the next pass.
     */
    public void wake() {
        synchronized (this) {
            if (started) {
                schedule(Duration.ZERO);
            }
        }
    }

    /** The holder name of this delivery's claims (one per run of the connector). */
    public String holder() {
        return holder;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        if (next != null && !next.isDone()) {
            if (next.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
                return;
            }
            next.cancel(false);
        }
        try {
            next = executor.schedule(this::pass, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: what is not done stays in the outbox for the next start
        }
    }

    private void pass() {
        synchronized (this) {
            next = null;
        }
        try {
            var now = clock.instant();
            var claimed = outbox.claim(kind, holder, now, now.plus(settings.lease()), settings.batch());
            for (var statement : claimed) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                attempt(statement);
            }
            if (claimed.size() == settings.batch()) {
                schedule(Duration.ZERO);
                return;
            }
            // another replica's claims and statements are seen by the next pass at the latest after one lease
            var wait = outbox.nextDue(kind).map(due -> Duration.between(clock.instant(), due)).orElse(settings.lease());
            if (claimed.isEmpty() && wait.compareTo(MINIMUM_WAIT) < 0) {
                // due, yet not claimed: another replica's claim ends now; do not spin on it
                wait = MINIMUM_WAIT;
            }
            schedule(wait.compareTo(settings.lease()) > 0 ? settings.lease() : wait);
        } catch (RuntimeException e) {
            monitor.warning("Outbox %s: cannot read or update the outbox, trying again in %s: %s".formatted(kind, AFTER_STORE_FAILURE, e.getMessage()));
            schedule(AFTER_STORE_FAILURE);
        }
    }

    private void attempt(Pending statement) {
        String problem;
        try {
            var status = transport.send(statement.address(), statement.statement());
            if (status / 100 == 2) {
                finish(statement, Outcome.DELIVERED, null);
                return;
            }
            if (status == 404) {
                finish(statement, Outcome.NOT_TAKEN, "the peer answered 404: it takes none");
                return;
            }
            if (status / 100 == 4) {
                finish(statement, Outcome.REFUSED, "the peer answered " + status);
                return;
            }
            problem = "the peer answered " + status;
        } catch (IOException | RuntimeException e) {
            if (closing()) {
                // cut short by the connector stopping: not an attempt; let it go at once for the next start
                outbox.retry(statement.id(), holder, statement.attempts(), statement.due());
                return;
            }
            problem = "the peer cannot be reached: " + e.getMessage();
        }
        var attempts = statement.attempts() + 1;
        if (attempts >= settings.attempts()) {
            finish(statement, Outcome.GAVE_UP, problem + " (after %d attempts)".formatted(attempts));
            return;
        }
        var wait = settings.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
        outbox.retry(statement.id(), holder, attempts, clock.instant().plus(wait.compareTo(settings.lastRetry()) > 0 ? settings.lastRetry() : wait));
    }

    private synchronized boolean closing() {
        return closed;
    }

    private void finish(Pending statement, Outcome outcome, String detail) {
        if (!outbox.done(statement.id(), holder, outcome, detail, clock.instant())) {
            // the claim ran out during the attempt and another replica took the statement: it reports the outcome
            return;
        }
        try {
            listener.finished(statement, outcome, detail);
        } catch (RuntimeException e) {
            monitor.warning("Outbox %s: a listener failed: %s".formatted(kind, e.getMessage()));
        }
    }
}
