package io.kakehashi.core.protocol;

import io.kakehashi.core.persistence.LeasedAfresh;
import io.kakehashi.core.persistence.UnsavedLeases;
import org.eclipse.edc.spi.result.ServiceResult;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** How long a message waits for another writer's lease on its process: a local send or save takes less. */
    static final Duration LEASE_BOUND = Duration.ofSeconds(2);

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
        return awaitLeft(read, pending, bound);
    }

    private <T> T awaitLeft(Supplier<T> read, Predicate<T> pending, Duration within) {
        var deadline = clock.millis() + within.toMillis();
        var current = read.get();
        while (current != null && pending.test(current) && clock.millis() < deadline) {
            if (!sleeper.sleep(POLL)) {
                break;
            }
            current = read.get();
        }
        return current;
    }

    /**
     * EDC's handling of a peer's message, tried again while another writer holds the process's lease
     * ({@link LeasedAfresh#stillLeased}: this connector's state machine while it sends, or another replica's), every
     * {@link #POLL} up to {@link #LEASE_BOUND} (or the bound, if shorter). Each try is EDC's own transaction: a wait
     * inside one would hold the lease row's lock and keep the holder from letting go. Still held then, the peer is
     * asked to retry ({@link PeerRetryLater}): EDC's own answer, a 409, is final to an EDC sender, which would end the
     * process on its side alone. Two connectors whose state machines each send to the other while holding their own
     * process (a termination crossing a finalization) each wait here for the other; the first to give up lets its
     * sender save and let go, and the other's message is then handled. A lease EDC's handling took by id and left
     * behind unsaved (a message refused after the lease was taken, or one already applied) is let go after each try
     * ({@link UnsavedLeases}), so that it does not hold the process until it expires. EDC verifies the sender's token
     * before it takes the lease, so only an authenticated sender is asked to retry.
     *
     * @param messageType  the message's type, named in the answer asking to retry
     * @param releaseToken forgets the sender's token, which EDC verified (and recorded as used) before it tried the
     *                     lease: run before each new try, and before the peer is asked to retry
     */
    public <T> ServiceResult<T> handleOnceLetGo(String messageType, Supplier<ServiceResult<T>> handling, Runnable releaseToken) {
        var tries = new AtomicInteger();
        var handled = awaitLeft(() -> {
            if (tries.getAndIncrement() > 0) {
                releaseToken.run();
            }
            return UnsavedLeases.letGoAfter(handling);
        }, LeasedAfresh::stillLeased, bound.compareTo(LEASE_BOUND) < 0 ? bound : LEASE_BOUND);
        if (handled != null && LeasedAfresh.stillLeased(handled)) {
            releaseToken.run();
            throw new PeerRetryLater(messageType, "arrived while another writer of this connector changes its process", POLL);
        }
        return handled;
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
