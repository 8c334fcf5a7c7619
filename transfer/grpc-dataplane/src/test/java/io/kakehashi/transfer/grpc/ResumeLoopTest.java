package io.kakehashi.transfer.grpc;

import io.grpc.Status;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared resume loop on a clock that only its pauses move. */
class ResumeLoopTest {

    private final GrpcTransferConfig config = GrpcTransferConfig.defaults();
    private final List<Duration> pauses = new ArrayList<>();
    private final MovableClock clock = new MovableClock();
    private final ResumeLoop loop = new ResumeLoop("test transfer", config, new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false), clock,
            (duration, stop) -> {
                pauses.add(duration);
                clock.advance(duration);
                return true;
            });

    @Test
    void run_whenPeerStaysUnreachable_shouldRetryForTheWholeWindowWithBoundedDoublingPauses() {
        var ending = loop.run(attempt -> Status.UNAVAILABLE.withDescription("connection refused"), () -> 0);

        assertThat(ending.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(pauses).startsWith(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(pauses).allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(10)));
        // it gave up only once the window (two minutes) had passed, not after its five attempts
        var waited = pauses.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMinutes(2)).isLessThan(Duration.ofMinutes(2).plusSeconds(10));
        assertThat(ending.attempts()).isGreaterThan(config.maxAttempts());
    }

    @Test
    void run_whenPeerComesBackAfterARestart_shouldSucceed() {
        var ending = loop.run(attempt -> clock.elapsed().compareTo(Duration.ofSeconds(20)) < 0 ? Status.UNAVAILABLE : Status.OK, () -> 0);

        assertThat(ending.status().isOk()).isTrue();
        assertThat(ending.attempts()).isGreaterThan(config.maxAttempts());
    }

    @Test
    void run_whenWindowIsZero_shouldGiveUpAfterMaxAttemptsWithoutProgress() {
        var quick = new ResumeLoop("test transfer", config.withRetryWindow(Duration.ZERO), new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false),
                clock, (duration, stop) -> true);

        var ending = quick.run(attempt -> Status.UNAVAILABLE, () -> 0);

        assertThat(ending.attempts()).isEqualTo(config.maxAttempts());
    }

    @Test
    void run_whenOneAttemptIsAllowed_shouldMakeASingleCallWhateverTheWindow() {
        var single = new ResumeLoop("test transfer", config.withMaxAttempts(1), new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false),
                clock, (duration, stop) -> {
                    pauses.add(duration);
                    return true;
                });
        var position = new AtomicLong();

        var ending = single.run(attempt -> {
            position.incrementAndGet();
            return Status.UNAVAILABLE;
        }, position::get);

        assertThat(ending.attempts()).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void run_whenCallsMakeProgress_shouldStartTheBackoffOver() {
        var position = new AtomicLong();
        var ending = loop.run(attempt -> {
            if (attempt % 3 == 0) {
                position.incrementAndGet();
            }
            return attempt < 9 ? Status.UNAVAILABLE : Status.OK;
        }, position::get);

        assertThat(ending.status().isOk()).isTrue();
        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void run_whenRefused_shouldNotRetry() {
        for (var refusal : List.of(Status.UNAUTHENTICATED, Status.PERMISSION_DENIED, Status.RESOURCE_EXHAUSTED, Status.DATA_LOSS,
                Status.NOT_FOUND, Status.FAILED_PRECONDITION, Status.INVALID_ARGUMENT, Status.OUT_OF_RANGE)) {
            var ending = new ResumeLoop("test transfer", config, new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false), clock,
                    (duration, stop) -> true).run(attempt -> refusal, () -> 0);

            assertThat(ending.attempts()).as(refusal.getCode().name()).isEqualTo(1);
            assertThat(ending.status().getCode()).isEqualTo(refusal.getCode());
        }
    }

    @Test
    void stop_whilePausing_shouldEndTheLoopWithTheStopsStatus() throws Exception {
        var real = new ResumeLoop("test transfer", config.withRetryBackoffMax(Duration.ofMinutes(1)).withRetryBackoff(Duration.ofMinutes(1)),
                new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false));
        var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> real.run(attempt -> Status.UNAVAILABLE, () -> 0));

        real.stop(Status.CANCELLED.withDescription("terminated"));

        var ending = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ending.status().getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(ending.stopped()).isTrue();
    }

    /** A clock that stands still until advanced. */
    private static final class MovableClock extends Clock {
        private final Instant start = Instant.parse("2026-12-06T00:00:00Z");
        private Instant now = start;

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        Duration elapsed() {
            return Duration.between(start, now);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
