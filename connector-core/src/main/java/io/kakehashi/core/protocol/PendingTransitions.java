package io.kakehashi.core.protocol;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits, for a bounded time, until a process read afresh from its store has left a state in which a peer's message
 * came too early: the receiver has sent its own message and not yet saved the transition that follows the answer.
 * The wait re-reads the process (no lease taken: the state machine holds it while it sends) every
 * {@link #POLL} until the predicate no longer holds or {@code bound} has passed. Thread-safe.
 */
public final class PendingTransitions {

    /** Pause between two reads; a local save lands within milliseconds of the peer's answer. */
    static final Duration POLL = Duration.ofMillis(25);

    private final Duration bound;
    private final Clock clock;
    private final Sleeper sleeper;

    public PendingTransitions(Duration bound) {
        this(bound, Clock.systemUTC(), Sleeper.THREAD);
    }

    PendingTransitions(Duration bound, Clock clock, Sleeper sleeper) {
        this.bound = Objects.requireNonNull(bound);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public Duration bound() {
        return bound;
    }

    /**
     * Reads the process until {@code pending} is false for it (or it is gone) or the bound has passed; returns the
     * last read, {@code null} when the process is gone.
     */
    public <T> T awaitLeft(Supplier<T> read, Predicate<T> pending) {
        var deadline = clock.millis() + bound.toMillis();
        var current = read.get();
        while (current != null && pending.test(current) && clock.millis() < deadline) {
            if (!sleeper.sleep(POLL)) {
                break;
            }
            current = read.get();
        }
        return current;
    }

    /** How the wait pauses; a test substitutes one that makes the awaited save happen. */
    @FunctionalInterface
    interface Sleeper {

        Sleeper THREAD = duration -> {
            try {
                Thread.sleep(duration.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };

        /** Pauses; false when the wait must end now (interrupted). */
        boolean sleep(Duration duration);
    }
}
