package io.kakehashi.samples.crash;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.samples.crash.CrashDataspace.Side;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One kill point: a negotiation, transfer, stream or job brought to a given place when one side is killed, and what
 * must hold once that side is back. A wave of the suite drives its situations through
 * {@link #prepare} (in parallel: agreements, assets), {@link #begin} (in order: start what must be under way),
 * {@link #inPosition} (polled until true), {@link #trigger} (what happens just before the kill), the kill,
 * {@link #afterKill}, the restart, and {@link #settle} (in parallel, each bounded by the same deadline), which fills
 * in the {@link Result}.
 * <p>
 * Not thread-safe: each step is called by one thread at a time.
 */
abstract class Situation {

    /** What the management APIs show as an ended process. */
    static final Set<String> ENDED = Set.of("FINALIZED", "COMPLETED", "TERMINATED", "DEPROVISIONED");

    protected final CrashDataspace dataspace;
    protected final Result result;

    Situation(CrashDataspace dataspace, String point, Side victim, int round) {
        this.dataspace = dataspace;
        this.result = new Result(point, victim, round);
    }

    /** Blocking set-up before the wave, such as an agreement for a transfer. */
    void prepare() {
    }

    /** Starts what must be under way at the kill, quickly. */
    void begin() {
    }

    /** Whether it stands where it is to be killed. */
    boolean inPosition() {
        return true;
    }

    /** What is done the moment before the kill (a request just sent); returns whether it did anything. */
    boolean trigger() {
        return false;
    }

    /**
     * Whether its point lasts only a moment (a negotiation between two messages): then the wave kills as soon as it
     * is seen there, {@link #describe} answers from what {@link #inPosition} saw, and the decision logs are exported
     * before it begins rather than after.
     */
    boolean fleeting() {
        return false;
    }

    /** Both sides' states as seen just before the kill, for the summary. */
    abstract String describe();

    /** Just after the kill, before the restart. */
    void afterKill() {
    }

    /**
     * After the restart: waits (until {@code deadline}) for the final state on both sides and checks what must hold,
     * recording outcome, resume time and problems in {@link #result}.
     */
    abstract void settle(Instant ready, Instant deadline);

    Result result() {
        return result;
    }

    /** A process's state and, when it has one, its error detail, as one short text. */
    static String stateOf(JsonNode process) {
        if (process == null || process.isMissingNode()) {
            return "absent";
        }
        var detail = process.path("errorDetail").asText("");
        return process.path("state").asText("?") + (detail.isEmpty() ? "" : " (" + abbreviate(detail, 240) + ")");
    }

    static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length) + "…";
    }

    /** What one kill point showed. */
    static final class Result {
        final String point;
        final Side victim;
        final int round;
        volatile String stateAtKill = "?";
        volatile String outcome = "not settled";
        volatile Duration resume;
        final List<String> problems = new ArrayList<>();
        /** Why the point was not exercised (the suite missed its moment), or {@code null}; such a point neither passes nor fails. */
        volatile String skipped;

        Result(String point, Side victim, int round) {
            this.point = point;
            this.victim = victim;
            this.round = round;
        }

        synchronized void problem(String format, Object... args) {
            problems.add(format.formatted(args));
        }

        synchronized boolean passed() {
            return problems.isEmpty();
        }

        String verdict() {
            return !passed() ? "FAIL" : skipped != null ? "SKIP" : "PASS";
        }

        /** Marks the moment both sides reached their final state, measured from the restart's readiness. */
        void ended(Instant ready) {
            if (resume == null) {
                resume = Duration.between(ready, Instant.now());
            }
        }

        /** A check that belongs to no single kill point (decision logs, agreements). */
        static Result check(String title) {
            return new Result(title, null, 1);
        }

        String name() {
            return victim == null ? point : "%s, %s killed%s".formatted(point, victim.label(), round > 1 ? " (round " + round + ")" : "");
        }
    }
}
