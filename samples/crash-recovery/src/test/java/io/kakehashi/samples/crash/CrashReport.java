package io.kakehashi.samples.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a run of the crash suite showed: one row per kill point (state at the kill, outcome, resume time — from the
 * restarted side's readiness to the final state on both sides — and whether it passed), the checks that follow each
 * kill and the run (decision logs, agreements), the restart times, and every problem in full.
 * <p>
 * Thread-safe.
 */
final class CrashReport {

    private final List<Situation.Result> points = new ArrayList<>();
    private final List<Situation.Result> checks = new ArrayList<>();
    private final List<Duration> restarts = new ArrayList<>();
    private final Instant started = Instant.now();

    synchronized void point(Situation.Result result) {
        points.add(result);
    }

    synchronized void check(Situation.Result result) {
        checks.add(result);
    }

    synchronized void restart(Duration took) {
        restarts.add(took);
    }

    synchronized List<Situation.Result> failures() {
        var failed = new ArrayList<Situation.Result>();
        points.stream().filter(result -> !result.passed()).forEach(failed::add);
        checks.stream().filter(result -> !result.passed()).forEach(failed::add);
        return failed;
    }

    /** The summary table and every problem, as text. */
    synchronized String render() {
        var out = new StringBuilder();
        var passed = points.stream().filter(point -> "PASS".equals(point.verdict())).count();
        var skipped = points.stream().filter(point -> "SKIP".equals(point.verdict())).count();
        out.append("Kakehashi crash suite: %d kill points (SIGKILL, then a restart with the same settings), %d passed, %d failed, %d not exercised; %d kills; run took %ds%n"
                .formatted(points.size(), passed, points.size() - passed - skipped, skipped, restarts.size(), Duration.between(started, Instant.now()).toSeconds()));
        out.append("resume = from the restarted side's readiness to the final state on both sides (streams: caught up with the producer)%n%n".formatted());
        out.append(row("#", "point", "killed", "state at the kill", "outcome", "resume", "result"));
        var i = 0;
        for (var point : points) {
            out.append(row(String.valueOf(++i), point.point + (point.round > 1 ? " (round " + point.round + ")" : ""), point.victim.label(),
                    point.stateAtKill, point.outcome, seconds(point.resume), point.verdict()));
        }
        out.append("%nChecks after each kill and at the end:%n".formatted());
        for (var check : checks) {
            out.append("  %-4s %s: %s%n".formatted(check.passed() ? "PASS" : "FAIL", check.name(), check.outcome));
        }
        var resumes = points.stream().map(point -> point.resume).filter(Objects::nonNull).sorted().toList();
        var byVictim = new StringBuilder();
        for (var side : CrashDataspace.Side.values()) {
            var ofSide = points.stream().filter(point -> point.victim == side).toList();
            byVictim.append("%s killed: %d of %d passed; ".formatted(side.label(), ofSide.stream().filter(point -> "PASS".equals(point.verdict())).count(),
                    ofSide.size()));
        }
        out.append("%nFigures: %s%n".formatted(byVictim));
        out.append("  resume time: median %s, max %s over the %d points that reached their final state%n"
                .formatted(seconds(median(resumes)), seconds(resumes.isEmpty() ? null : resumes.get(resumes.size() - 1)), resumes.size()));
        var sortedRestarts = restarts.stream().sorted().toList();
        out.append("  restart (launch to ready, PostgreSQL): median %s, max %s over %d restarts%n"
                .formatted(seconds(median(sortedRestarts)), seconds(sortedRestarts.isEmpty() ? null : sortedRestarts.get(sortedRestarts.size() - 1)),
                        sortedRestarts.size()));
        var failures = failures();
        if (!failures.isEmpty()) {
            out.append("%nFailures (%d):%n".formatted(failures.size()));
            for (var failure : failures) {
                out.append("- %s [state at the kill: %s]%n".formatted(failure.name(), failure.stateAtKill));
                failure.problems.forEach(problem -> out.append("    * ").append(problem).append('\n'));
            }
        }
        return out.toString();
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String row(String n, String point, String killed, String state, String outcome, String resume, String result) {
        return "%-3s %-40s %-8s %-70s %-62s %7s  %s%n".formatted(n, point, killed, Situation.abbreviate(state, 70),
                Situation.abbreviate(outcome, 62), resume, result);
    }

    private static Duration median(List<Duration> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        var mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : sorted.get(mid - 1).plus(sorted.get(mid)).dividedBy(2);
    }

    private static String seconds(Duration duration) {
        return duration == null ? "-" : String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
