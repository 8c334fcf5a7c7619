package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.jws.SignedStatement;
import io.kakehashi.core.spi.outbox.OutboxDelivery;
import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;

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
 * with the checkpoint key — is kept in the connector's outbox and sent from there ({@link OutboxDelivery}, kind
 * {@value #KIND}) to the counterparty's {@code <protocol>/decision-log/v1/receipts}. Nothing of this runs on the thread
 * that made the decision: the DSP message it belongs to goes out as before, whatever the counterparty does with the
 * receipt. A peer answering 404 does not take receipts and is left alone; any other 4xx refused this receipt (logged
 * once); a 5xx, 503 or an unreachable peer is tried again, backing off, up to the attempts set — across restarts of
 * the connector, since the receipt waits in the outbox, not in memory. Until the receipt is signed (at most the
 * head wait after the decision) the decision is in the log only. Thread-safe.
 */
final class ReceiptIssuer {

    /** The outbox kind of decision receipts. */
    static final String KIND = "decision-receipt";

    /**
     * A decision to issue: what the receipt states, where the counterparty's protocol context is, and the log entry.
     */
    record Decision(Receipts.Subject subject, String peerBase, DecisionEntry entry) {
    }

    /** What became of a receipt; for tests and metrics. */
    enum Outcome { SENT, NOT_TAKEN, REFUSED, GAVE_UP, NOT_RECORDED }

    interface Listener {
        void finished(Outcome outcome, String detail);
    }

    /** Keeps a signed receipt in the outbox, to be sent to the peer's protocol base URL. */
    @FunctionalInterface
    interface Outbox {
        void keep(String peerBase, String receipt);
    }

    private static final Duration HEAD_POLL = Duration.ofMillis(200);

    private final DecisionRecorder recorder;
    private final CheckpointStore checkpoints;
    private final DecisionLogTree tree;
    private final Supplier<ECKey> key;
    private final Outbox outbox;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;
    private final Duration headWait;
    private final Listener listener;

    /**
     * @param outbox where a signed receipt is kept: the {@link OutboxDelivery} of kind {@value #KIND}, whose listener is
     *               {@link #delivered}
     */
    ReceiptIssuer(DecisionRecorder recorder, CheckpointStore checkpoints, DecisionLogTree tree, Supplier<ECKey> key, Outbox outbox,
                  ScheduledExecutorService executor, Clock clock, Monitor monitor, Duration headWait, Listener listener) {
        this.recorder = recorder;
        this.checkpoints = checkpoints;
        this.tree = tree;
        this.key = key;
        this.outbox = outbox;
        this.executor = executor;
        this.clock = clock;
        this.monitor = monitor;
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
            finish(decision.subject(), Outcome.NOT_RECORDED, recorded.getFailureDetail());
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
                finish(decision.subject(), Outcome.GAVE_UP, "no signed tree head covered entry %d within %s".formatted(stored.sequence(), headWait));
                return;
            }
            submit(() -> awaitHead(decision, stored, deadline), HEAD_POLL);
            return;
        }
        var size = head.get().sequence();
        var proof = tree.upTo(size).inclusionProof(stored.sequence() - 1, size);
        var receipt = Receipts.sign(key.get(), decision.subject(), stored, head.get(), proof, clock.instant());
        // kept before the first attempt: from here on the receipt survives a restart
        outbox.keep(decision.peerBase(), receipt);
    }

    /** What the outbox delivery made of a receipt, this run's or an earlier one's. */
    void delivered(StatementOutbox.Pending statement, StatementOutbox.Outcome outcome, String detail) {
        var subject = subjectOf(statement.statement());
        finish(subject, switch (outcome) {
            case DELIVERED -> Outcome.SENT;
            case NOT_TAKEN -> Outcome.NOT_TAKEN;
            case REFUSED -> Outcome.REFUSED;
            case GAVE_UP -> Outcome.GAVE_UP;
        }, detail);
    }

    // the names the log lines give a receipt, read back from the receipt itself (one of an earlier run has no Decision)
    private static Receipts.Subject subjectOf(String receipt) {
        var opened = SignedStatement.open(receipt, Receipts.TYPE, "the receipt");
        if (opened.failed()) {
            return new Receipts.Subject("a decision", "this connector", "the counterparty", "a process", "a process", null);
        }
        var payload = opened.getContent().payload();
        return new Receipts.Subject(String.valueOf(payload.get("event")), String.valueOf(payload.get("issuer")), String.valueOf(payload.get("recipient")),
                String.valueOf(payload.get("issuerProcessId")), String.valueOf(payload.get("recipientProcessId")), (String) payload.get("agreementId"));
    }

    private void finish(Receipts.Subject subject, Outcome outcome, String detail) {
        switch (outcome) {
            case SENT -> monitor.debug("Decision receipts: %s of %s sent to %s".formatted(subject.event(), subject.issuerProcessId(), subject.recipient()));
            case NOT_TAKEN -> monitor.debug("Decision receipts: %s takes no receipts (%s)".formatted(subject.recipient(), detail));
            default -> monitor.warning("Decision receipts: the receipt of %s of %s for %s was not delivered: %s"
                    .formatted(subject.event(), subject.issuerProcessId(), subject.recipient(), detail));
        }
        if (listener != null) {
            listener.finished(outcome, detail);
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
            // shutting down: a decision whose receipt is not signed yet stays in the log only
        }
    }
}
