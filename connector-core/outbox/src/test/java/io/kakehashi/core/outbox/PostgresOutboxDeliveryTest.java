package io.kakehashi.core.outbox;

import io.kakehashi.core.spi.outbox.OutboxDelivery;
import io.kakehashi.core.spi.outbox.StatementOutbox.Outcome;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicas sharing one database: each statement is sent by one of them, a connector started again sends what the
 * last run could not, and a crashed replica's claim runs out and another sends its statement.
 */
@Tag("PostgresqlIntegrationTest")
class PostgresOutboxDeliveryTest {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();
    private static final String SCHEMA = "outbox_delivery_test";
    private static final String KIND = "decision-receipt";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Monitor monitor = new Monitor() { };
    private final List<OutboxDelivery> deliveries = new ArrayList<>();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();

    @BeforeEach
    void emptySchema() throws SQLException {
        POSTGRES.recreateSchema(DATABASE, SCHEMA);
        OutboxSchema.create(POSTGRES.dataSource(DATABASE, SCHEMA));
    }

    @AfterEach
    void stop() {
        deliveries.forEach(OutboxDelivery::close);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        POSTGRES.dropSchema(DATABASE, SCHEMA);
    }

    private OutboxDelivery replica(Duration lease, OutboxDelivery.Transport transport) {
        var settings = new OutboxDelivery.Settings(8, Duration.ofMillis(10), Duration.ofMillis(40), lease, 5);
        var delivery = new OutboxDelivery(new PostgresStatementOutbox(POSTGRES.dataSource(DATABASE, SCHEMA)), KIND, (address, statement) -> {
            sent.computeIfAbsent(statement, s -> new AtomicInteger()).incrementAndGet();
            return transport.send(address, statement);
        }, settings, Clock.systemUTC(), monitor, (statement, outcome, detail) -> outcomes.add(statement.statement() + " " + outcome));
        deliveries.add(delivery);
        delivery.start();
        return delivery;
    }

    @Test
    void twoReplicasOnOneDatabase_shouldDeliverEachStatementOnce() {
        var first = replica(Duration.ofMinutes(2), (address, statement) -> 200);
        var second = replica(Duration.ofMinutes(2), (address, statement) -> 200);

        for (int i = 0; i < 30; i++) {
            (i % 2 == 0 ? first : second).submit("https://peer.example", "statement-" + i);
        }

        await().atMost(WAIT).until(() -> outcomes.size() >= 30);
        assertThat(outcomes).hasSize(30).doesNotHaveDuplicates().allSatisfy(outcome -> assertThat(outcome).endsWith(" DELIVERED"));
        assertThat(sent).hasSize(30).allSatisfy((statement, times) -> assertThat(times).hasValue(1));
        assertThat(new PostgresStatementOutbox(POSTGRES.dataSource(DATABASE, SCHEMA)).pending(KIND)).isEmpty();
    }

    @Test
    void aConnectorStartedAgain_shouldSendWhatTheLastRunCouldNot() throws Exception {
        var stopping = new OutboxDeliveryTest.StoppedDuringAttempt(1, () -> {
            throw new ConnectException("Connection refused");
        });
        var before = replica(Duration.ofMinutes(2), stopping);
        before.submit("https://peer.example", "a.b.c");
        stopping.awaitLastAttempt();
        before.close();
        var outbox = new PostgresStatementOutbox(POSTGRES.dataSource(DATABASE, SCHEMA));
        // released at the stop, not left claimed until the claim runs out
        assertThat(outbox.pending(KIND)).singleElement().satisfies(statement -> assertThat(statement.attempts()).isEqualTo(1));

        replica(Duration.ofMinutes(2), (address, statement) -> 200);

        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c " + Outcome.DELIVERED);
        assertThat(outbox.pending(KIND)).isEmpty();
    }

    @Test
    void aCrashedReplicasClaim_shouldRunOut_andAnotherReplicaSendTheStatement() {
        var outbox = new PostgresStatementOutbox(POSTGRES.dataSource(DATABASE, SCHEMA));
        var now = Clock.systemUTC().instant();
        var kept = outbox.put(KIND, "https://peer.example", "a.b.c", now);
        // a replica claimed it and died before it could say what became of it
        assertThat(outbox.claim(KIND, "crashed-replica", now, now.plusMillis(500), 10)).hasSize(1);

        replica(Duration.ofSeconds(30), (address, statement) -> 200);

        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c DELIVERED");
        assertThat(sent.get("a.b.c")).hasValue(1);
        // the crashed replica's word, were it to come back, no longer counts
        assertThat(outbox.done(kept.id(), "crashed-replica", Outcome.GAVE_UP, null, now)).isFalse();
        assertThat(outbox.pending(KIND)).isEmpty();
    }
}
