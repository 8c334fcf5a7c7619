package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Issues receipts (docs/decisions/0039): a decision that affects the counterparty is appended to the log, and once a
 * signed tree head covers it, a receipt — the entry, its position and hash, the head and the inclusion proof, signed
 * with the checkpoint key — is sent to the counterparty's {@code <protocol>/decision-log/v1/receipts}. Nothing of
 * this runs on the thread that made the decision: the DSP message it belongs to goes out as before, whatever the
 * counterparty does with the receipt. A peer answering 404 does not take receipts and is left alone; any other 4xx
 * refused this receipt (logged once); a 5xx, 503 or an unreachable peer is tried again, backing off, up to the
 * attempts set. Receipts waiting to be sent are held in memory only. Thread-safe.
 */
final class ReceiptIssuer {

    /**
     * Sends a receipt to a peer's protocol base URL and returns the answer's status.
     */
    @FunctionalInterface
    interface Sender {
        int send(String peerBase, String receipt) throws IOException;
    }

    /**
     * A decision to issue: what the receipt states, where the counterparty's protocol context is, and the log entry.
     */
    record Decision(Receipts.Subject subject, String peerBase, DecisionEntry entry) {
    }

    /** What became of a receipt; for tests and metrics. */
    enum Outcome { SENT, NOT_TAKEN, REFUSED, GAVE_UP, NOT_RECORDED }

    interface Listener {
        void finished(Decision decision, Outcome outcome, String detail);
    }

    private static final Duration HEAD_POLL = Duration.ofMillis(200);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(5);

    private final DecisionRecorder recorder;
    private final CheckpointStore checkpoints;
    private final DecisionLogTree tree;
    private final Supplier<ECKey> key;
    private final Sender sender;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;
    private final int attempts;
    private final Duration headWait;
    private final Listener listener;

    ReceiptIssuer(DecisionRecorder recorder, CheckpointStore checkpoints, DecisionLogTree tree, Supplier<ECKey> key, Sender sender,
                  ScheduledExecutorService executor, Clock clock, Monitor monitor, int attempts, Duration headWait, Listener listener) {
        this.recorder = recorder;
        this.checkpoints = checkpoints;
        this.tree = tree;
        this.key = key;
        this.sender = sender;
        this.executor = executor;
        this.clock = clock;
        this.monitor = monitor;
        this.attempts = attempts;
        this.headWait = headWait;
        this.listener = listener;
    }

    /**
     * Records the decision and sends its receipt, later, on the issuer's executor.
     */
    void issue(Decision decision) {
        submit(() -> record(decision), Duration.ZERO);
    }

    private void record(Decision decision) {
        var recorded = recorder.record(decision.entry());
        if (recorded.failed()) {
            finish(decision, Outcome.NOT_RECORDED, recorded.getFailureDetail());
            return;
        }
        awaitHead(decision, recorded.getContent(), clock.millis() + headWait.toMillis());
    }

    private void awaitHead(Decision decision, StoredDecision stored, long deadline) {
        Optional<Checkpoint> head;
        try {
            head = checkpoints.latest().filter(checkpoint -> checkpoint.treeRoot() != null && checkpoint.sequence() >= stored.sequence());
        } catch (RuntimeException e) {
            head = Optional.empty();
        }
        if (head.isEmpty()) {
            if (clock.millis() > deadline) {
                finish(decision, Outcome.GAVE_UP, "no signed tree head covered entry %d within %s".formatted(stored.sequence(), headWait));
                return;
            }
            submit(() -> awaitHead(decision, stored, deadline), HEAD_POLL);
            return;
        }
        var size = head.get().sequence();
        var proof = tree.upTo(size).inclusionProof(stored.sequence() - 1, size);
        var receipt = Receipts.sign(key.get(), decision.subject(), stored, head.get(), proof, clock.instant());
        send(decision, receipt, 1);
    }

    private void send(Decision decision, String receipt, int attempt) {
        String problem;
        try {
            var status = sender.send(decision.peerBase(), receipt);
            if (status == 200) {
                finish(decision, Outcome.SENT, null);
                return;
            }
            if (status == 404) {
                finish(decision, Outcome.NOT_TAKEN, "the peer has no receipts endpoint");
                return;
            }
            if (status / 100 == 4) {
                finish(decision, Outcome.REFUSED, "the peer answered " + status);
                return;
            }
            problem = "the peer answered " + status;
        } catch (IOException | RuntimeException e) {
            problem = "the peer cannot be reached: " + e.getMessage();
        }
        if (attempt >= attempts) {
            finish(decision, Outcome.GAVE_UP, problem + " (after %d attempts)".formatted(attempt));
            return;
        }
        var delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 20));
        submit(() -> send(decision, receipt, attempt + 1), delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay);
    }

    private void finish(Decision decision, Outcome outcome, String detail) {
        var subject = decision.subject();
        switch (outcome) {
            case SENT -> monitor.debug("Decision receipts: %s of %s sent to %s".formatted(subject.event(), subject.issuerProcessId(), subject.recipient()));
            case NOT_TAKEN -> monitor.debug("Decision receipts: %s takes no receipts (%s)".formatted(subject.recipient(), detail));
            default -> monitor.warning("Decision receipts: the receipt of %s of %s for %s was not delivered: %s"
                    .formatted(subject.event(), subject.issuerProcessId(), subject.recipient(), detail));
        }
        if (listener != null) {
            listener.finished(decision, outcome, detail);
        }
    }

    private void submit(Runnable step, Duration delay) {
        Runnable guarded = () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                monitor.warning("Decision receipts: a receipt could not be issued: " + e.getMessage());
            }
        };
        try {
            executor.schedule(guarded, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: receipts waiting are held in memory only
        }
    }
}
