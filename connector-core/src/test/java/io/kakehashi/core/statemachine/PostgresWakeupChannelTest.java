package io.kakehashi.core.statemachine;

import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.junit.annotations.PostgresqlIntegrationTest;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.system.ExecutorInstrumentation;
import org.eclipse.edc.statemachine.StateMachineManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas' wake-up channels on one PostgreSQL database: a wake-up raised in one runs the other's waiting loop,
 * whose idle wait is an hour.
 */
@PostgresqlIntegrationTest
class PostgresWakeupChannelTest {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final WakeupTimings AN_HOUR_IDLE = new WakeupTimings(Duration.ofHours(1), Duration.ZERO, Duration.ofMillis(1));
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (var closeable : closing) {
            closeable.close();
        }
    }

    @Test
    void announce_shouldWakeTheOtherReplicasLoopsOfThatKind() {
        var url = POSTGRES.createDatabase("events_wakeup_channel");
        var first = new StateMachineWakeups(AN_HOUR_IDLE);
        var second = new StateMachineWakeups(AN_HOUR_IDLE);
        channel(first, url);
        channel(second, url);
        var iterations = new AtomicInteger();
        startLoop(second, iterations);
        await().atMost(AWAIT).until(() -> iterations.get() >= 1);
        var before = iterations.get();

        // the listener may still be subscribing: announce until the other replica's loop ran again
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            first.wake(Set.of(StateMachineKind.TRANSFER));
            return iterations.get() > before;
        });
    }

    @Test
    void parse_shouldSkipOwnAndForeignPayloads() {
        assertThat(PostgresWakeupChannel.parse("me", "other:TRANSFER,NEGOTIATION"))
                .containsExactlyInAnyOrder(StateMachineKind.TRANSFER, StateMachineKind.NEGOTIATION);
        assertThat(PostgresWakeupChannel.parse("me", "me:TRANSFER")).isEmpty();
        assertThat(PostgresWakeupChannel.parse("me", "hello")).isEmpty();
        assertThat(PostgresWakeupChannel.parse("me", "other:DROP TABLE")).isEmpty();
    }

    private void channel(StateMachineWakeups wakeups, String url) {
        PostgresWakeupChannel.Notifier notifier = (name, payload) -> {
            try (var connection = DriverManager.getConnection(url, POSTGRES.user(), "");
                 var statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                statement.setString(1, name);
                statement.setString(2, payload);
                statement.execute();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        var channel = new PostgresWakeupChannel(() -> DriverManager.getConnection(url, POSTGRES.user(), ""), notifier, wakeups, new ConsoleMonitor());
        wakeups.announceTo(channel::announce);
        channel.start();
        closing.add(channel);
    }

    private void startLoop(StateMachineWakeups wakeups, AtomicInteger iterations) {
        var loop = StateMachineManager.Builder.newInstance("TransferProcessManagerImpl", new ConsoleMonitor(), new ExecutorInstrumentation() {
                    @Override
                    public ScheduledExecutorService instrument(ScheduledExecutorService target, String name) {
                        return wakeups.instrument(target, name);
                    }
                }, () -> 1000L)
                .processor(() -> {
                    iterations.incrementAndGet();
                    return 0L;
                })
                .shutdownTimeout(1)
                .build();
        loop.start();
        closing.add(loop::stop);
    }
}
