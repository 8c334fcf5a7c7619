package io.kakehashi.core.outbox;

import io.kakehashi.core.spi.outbox.OutboxDelivery;
import io.kakehashi.core.spi.outbox.StatementOutbox.Outcome;
import io.kakehashi.core.spi.outbox.StatementOutbox.Pending;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery of one kind of statement from a file outbox: outcomes by the peer's answer, retries up to the bound, and
 * a connector that stops while its peer is unreachable and starts again.
 */
class OutboxDeliveryTest {

    private static final String KIND = "decision-receipt";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private final Monitor monitor = new Monitor() { };
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
    private FileStatementOutbox outbox;
    private OutboxDelivery delivery;

    @BeforeEach
    void open() {
        outbox = FileStatementOutbox.open(directory.resolve("outbox.jsonl"), monitor);
    }

    @AfterEach
    void close() {
        if (delivery != null) {
            delivery.close();
        }
        outbox.close();
    }

    private OutboxDelivery start(int attempts, OutboxDelivery.Transport transport) {
        var settings = new OutboxDelivery.Settings(attempts, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMinutes(2), 50);
        delivery = new OutboxDelivery(outbox, KIND, (address, statement) -> {
            sent.computeIfAbsent(statement, s -> new AtomicInteger()).incrementAndGet();
            return transport.send(address, statement);
        }, settings, Clock.systemUTC(), monitor, (statement, outcome, detail) -> outcomes.add(statement.statement() + " " + outcome + (detail == null ? "" : ": " + detail)));
        delivery.start();
        return delivery;
    }

    @Test
    void submit_whenThePeerTakesIt_shouldBeDeliveredOnceAndDone() {
        start(8, (address, statement) -> 200);

        delivery.submit("https://peer.example/protocol", "a.b.c");

        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c DELIVERED");
        assertThat(sent.get("a.b.c")).hasValue(1);
        assertThat(outbox.pending(KIND)).isEmpty();
    }

    @Test
    void wake_whenADraftWasCompletedIntoThisKind_shouldSendItWithoutWaitingForThePass() throws InterruptedException {
        start(8, (address, statement) -> 200);
        // the first pass found nothing; the next is a claim's length (2 min) away
        Thread.sleep(200);
        var draft = outbox.hold("decision-receipt-draft", "https://peer.example/protocol", "{\"entry\":1}", "issuer", java.time.Instant.now(),
                java.time.Instant.now().plusSeconds(60));
        outbox.complete(draft.id(), "issuer", KIND, "a.b.c", java.time.Instant.now());

        delivery.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c DELIVERED");
    }

    @Test
    void submit_whenThePeerTakesNoneOrRefuses_shouldStopAfterOneAttempt() {
        start(8, (address, statement) -> statement.equals("none") ? 404 : 400);

        delivery.submit("https://peer.example", "none");
        delivery.submit("https://peer.example", "refused");

        await().atMost(WAIT).until(() -> outcomes.size() == 2);
        assertThat(outcomes).containsExactlyInAnyOrder("none NOT_TAKEN: the peer answered 404: it takes none", "refused REFUSED: the peer answered 400");
        assertThat(sent.get("none")).hasValue(1);
        assertThat(sent.get("refused")).hasValue(1);
        assertThat(outbox.pending(KIND)).isEmpty();
    }

    @Test
    void submit_whenThePeerFailsAndRecovers_shouldBeSentAgainUntilDelivered() {
        var answers = new AtomicInteger();
        start(8, (address, statement) -> answers.incrementAndGet() < 3 ? 503 : 200);

        delivery.submit("https://peer.example", "a.b.c");

        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c DELIVERED");
        assertThat(sent.get("a.b.c")).hasValue(3);
    }

    @Test
    void submit_whenThePeerStaysUnreachable_shouldGiveUpAfterTheAttemptsAllowed() {
        start(4, (address, statement) -> {
            throw new ConnectException("Connection refused");
        });

        delivery.submit("https://peer.example", "a.b.c");

        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c GAVE_UP: the peer cannot be reached: Connection refused (after 4 attempts)");
        assertThat(sent.get("a.b.c")).hasValue(4);
        assertThat(outbox.pending(KIND)).isEmpty();
    }

    @Test
    void aConnectorStartedAgain_shouldSendWhatTheLastRunCouldNot_andCountItsAttempts() throws Exception {
        // unreachable twice, then the connector stops during the third attempt
        var stopping = new StoppedDuringAttempt(2, () -> {
            throw new ConnectException("Connection refused");
        });
        start(8, stopping);
        delivery.submit("https://peer.example", "a.b.c");
        stopping.awaitLastAttempt();
        delivery.close();
        outbox.close();

        outbox = FileStatementOutbox.open(directory.resolve("outbox.jsonl"), monitor);
        // the attempt the stop cut short is not counted
        assertThat(outbox.pending(KIND)).singleElement().satisfies(statement -> assertThat(statement.attempts()).isEqualTo(2));
        sent.clear();
        start(8, (address, statement) -> 200);

        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c DELIVERED");
        assertThat(sent.get("a.b.c")).hasValue(1);
        assertThat(outbox.pending(KIND)).isEmpty();
        // and not again on the start after that
        delivery.close();
        outbox.close();
        outbox = FileStatementOutbox.open(directory.resolve("outbox.jsonl"), monitor);
        assertThat(outbox.pending(KIND)).isEmpty();
    }

    @Test
    void attempts_shouldBeCountedAcrossRestarts() throws Exception {
        var stopping = new StoppedDuringAttempt(2, () -> 503);
        start(3, stopping);
        delivery.submit("https://peer.example", "a.b.c");
        stopping.awaitLastAttempt();
        delivery.close();
        outbox.close();

        outbox = FileStatementOutbox.open(directory.resolve("outbox.jsonl"), monitor);
        sent.clear();
        start(3, (address, statement) -> {
            throw new IOException("unreachable");
        });

        await().atMost(WAIT).until(() -> outcomes.size() == 1);
        assertThat(outcomes).containsExactly("a.b.c GAVE_UP: the peer cannot be reached: unreachable (after 3 attempts)");
        // two attempts before the stop, the third and last after it
        assertThat(sent.get("a.b.c")).hasValue(1);
    }

    /** A transport that answers {@code answered} times as told, then holds the next attempt until the delivery stops. */
    static final class StoppedDuringAttempt implements OutboxDelivery.Transport {

        interface Answer {
            int status() throws IOException;
        }

        private final int answered;
        private final Answer answer;
        private final AtomicInteger calls = new AtomicInteger();
        private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);

        StoppedDuringAttempt(int answered, Answer answer) {
            this.answered = answered;
            this.answer = answer;
        }

        @Override
        public int send(String address, String statement) throws IOException {
            if (calls.incrementAndGet() <= answered) {
                return answer.status();
            }
            held.countDown();
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("interrupted");
        }

        void awaitLastAttempt() throws InterruptedException {
            assertThat(held.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }
}
