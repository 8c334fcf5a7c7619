package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.jws.SignedStatement;
import io.kakehashi.core.spi.outbox.OutboxDelivery;
import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.policy.decisionlog.DecisionJson;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * the connector, since the receipt waits in the outbox, not in memory.
 *
 * <p>No receipt is lost to a crash between the decision and the signed head that covers it: before the entry is
 * appended, a draft ({@link ReceiptDraft}, kind {@value #DRAFT_KIND}) is kept in the outbox, held by this issuer for
 * {@code draftLease}; once a head covers the entry the draft is
 * {@link StatementOutbox#complete}d into the signed receipt in one step. Drafts whose holder did not complete them (a
 * crash, a stop, a head that took longer than {@code headWait}) are taken up by {@link #start()}'s passes — of this
 * issuer or, on a shared database, of another replica, one at a time by their claims: the entry is looked for in the
 * log after the position the draft names and appended if it is not there, and the receipt is signed once a head covers
 * it. A receipt is never signed for an entry no signed head covers. Thread-safe.
 */
final class ReceiptIssuer {

    /** The outbox kind of decision receipts. */
    static final String KIND = "decision-receipt";
    /** The outbox kind of receipts not signed yet. */
    static final String DRAFT_KIND = "decision-receipt-draft";

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

    /**
     * How long the issuer waits for a signed head, and holds a draft.
     *
     * @param headWait   how long a decision's own thread of work waits for a head covering its entry before leaving
     *                   the draft to the passes
     * @param draftLease how long the issuer that made a draft holds it, longer than {@code headWait}; a draft of an
     *                   issuer that crashed waits this long before another replica takes it up (a restarted file
     *                   connector takes it up at once: claims of the file outbox end with the process)
     */
    record Timing(Duration headWait, Duration draftLease) {

        Timing {
            if (headWait.isNegative() || draftLease.compareTo(headWait) <= 0) {
                throw new IllegalArgumentException("a draft lease of %s must be longer than the head wait of %s".formatted(draftLease, headWait));
            }
        }
    }

    private static final Duration HEAD_POLL = Duration.ofMillis(200);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(5);
    private static final Duration AFTER_STORE_FAILURE = Duration.ofSeconds(5);
    private static final Duration MINIMUM_WAIT = Duration.ofMillis(100);
    private static final int BATCH = 20;
    private static final int SCAN_PAGE = 1000;

    private final DecisionRecorder recorder;
    private final DecisionLogStore log;
    private final CheckpointStore checkpoints;
    private final DecisionLogTree tree;
    private final Supplier<ECKey> key;
    private final StatementOutbox outbox;
    private final Runnable wake;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;
    private final Timing timing;
    private final Listener listener;
    // one name per run: a restarted connector is another holder, whose passes take up the drafts of the run before
    private final String holder = UUID.randomUUID().toString();
    private ScheduledFuture<?> nextPass;

    /**
     * @param outbox where drafts and signed receipts are kept, sent by the {@link OutboxDelivery} of kind {@value #KIND},
     *               whose listener is {@link #delivered}
     * @param wake   tells that delivery a receipt was completed ({@link OutboxDelivery#wake()})
     */
    ReceiptIssuer(DecisionRecorder recorder, DecisionLogStore log, CheckpointStore checkpoints, DecisionLogTree tree, Supplier<ECKey> key,
                  StatementOutbox outbox, Runnable wake, ScheduledExecutorService executor, Clock clock, Monitor monitor, Timing timing,
                  Listener listener) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.log = Objects.requireNonNull(log, "log");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.tree = Objects.requireNonNull(tree, "tree");
        this.key = Objects.requireNonNull(key, "key");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.wake = Objects.requireNonNull(wake, "wake");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.listener = listener;
    }

    /**
     * Issues the decision's receipt on the issuer's executor: keeps its draft in the outbox, appends its entry to the
     * log, and completes the receipt once a signed head covers the entry. Nothing is done on the caller's thread, so
     * the decision neither waits for the outbox nor fails with it.
     */
    void issue(Decision decision) {
        submit(() -> record(decision, draft(decision)), Duration.ZERO);
    }

    // the draft, kept before the entry is appended: from here on a crash leaves the receipt to the next start's passes
    private String draft(Decision decision) {
        try {
            var now = clock.instant();
            var draft = new ReceiptDraft(decision.subject(), decision.entry(), log.head().sequence());
            return outbox.hold(DRAFT_KIND, decision.peerBase(), draft.json(), holder, now, now.plus(timing.draftLease())).id();
        } catch (RuntimeException e) {
            // the receipt is still issued, from memory, as before drafts existed
            monitor.warning("Decision receipts: cannot keep the receipt of %s of %s for %s before it is signed; a crash before it is signed loses it: %s"
                    .formatted(decision.subject().event(), decision.subject().issuerProcessId(), decision.subject().recipient(), e.getMessage()));
            return null;
        }
    }

    /** Starts the passes over drafts not completed: an earlier run's at once, then whenever one is due. */
    void start() {
        schedulePass(Duration.ZERO);
    }

    private void record(Decision decision, String draftId) {
        var recorded = recorder.record(decision.entry());
        if (recorded.failed()) {
            if (draftId == null) {
                finish(decision.subject(), Outcome.NOT_RECORDED, recorded.getFailureDetail());
            } else {
                // the draft stays: a pass appends the entry once the log takes it (or finds it there, if it was written after all)
                monitor.warning("Decision receipts: %s; the receipt of %s of %s waits in the outbox".formatted(recorded.getFailureDetail(),
                        decision.subject().event(), decision.subject().issuerProcessId()));
            }
            return;
        }
        awaitHead(decision, draftId, recorded.getContent(), clock.millis() + timing.headWait().toMillis());
    }

    private void awaitHead(Decision decision, String draftId, StoredDecision stored, long deadline) {
        var head = covering(stored);
        if (head.isEmpty()) {
            if (clock.millis() > deadline) {
                var problem = "no signed tree head covered entry %d within %s".formatted(stored.sequence(), timing.headWait());
                if (draftId == null) {
                    finish(decision.subject(), Outcome.GAVE_UP, problem);
                } else {
                    monitor.warning("Decision receipts: %s; the receipt of %s of %s is signed once one does".formatted(problem, decision.subject().event(),
                            decision.subject().issuerProcessId()));
                    // let go at once, to the passes, knowing where its entry is
                    narrow(draftId, new ReceiptDraft(decision.subject(), decision.entry(), stored.sequence() - 1), clock.instant());
                    schedulePass(Duration.ZERO);
                }
                return;
            }
            submit(() -> awaitHead(decision, draftId, stored, deadline), HEAD_POLL);
            return;
        }
        var receipt = sign(decision.subject(), stored, head.get());
        if (draftId == null) {
            outbox.put(KIND, decision.peerBase(), receipt, clock.instant());
            wake.run();
        } else if (outbox.complete(draftId, holder, KIND, receipt, clock.instant())) {
            wake.run();
        } else {
            // held no more: the draft ran past its lease and a pass (this replica's or another's) completes it
            monitor.debug("Decision receipts: the receipt of %s of %s was completed by another holder".formatted(decision.subject().event(),
                    decision.subject().issuerProcessId()));
        }
    }

    // a signed tree head of this log that covers the entry; the latest, so one exists once any does
    private Optional<Checkpoint> covering(StoredDecision stored) {
        try {
            return checkpoints.latest().filter(checkpoint -> checkpoint.treeRoot() != null && checkpoint.sequence() >= stored.sequence());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private String sign(Receipts.Subject subject, StoredDecision stored, Checkpoint head) {
        var size = head.sequence();
        var proof = tree.upTo(size).inclusionProof(stored.sequence() - 1, size);
        return Receipts.sign(key.get(), subject, stored, head, proof, clock.instant());
    }

    private void pass() {
        synchronized (this) {
            nextPass = null;
        }
        Duration wait;
        try {
            var now = clock.instant();
            var drafts = outbox.claim(DRAFT_KIND, holder, now, now.plus(timing.draftLease()), BATCH);
            for (var draft : drafts) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    resume(draft);
                } catch (RuntimeException e) {
                    // this draft only (the log or the key cannot be read): the others are resumed all the same
                    later(draft, e.getMessage());
                }
            }
            if (drafts.size() == BATCH) {
                wait = Duration.ZERO;
            } else {
                // drafts of other replicas, and this one's own once their lease ends, are seen at the latest after one lease
                wait = outbox.nextDue(DRAFT_KIND).map(due -> Duration.between(clock.instant(), due)).orElse(timing.draftLease());
                if (wait.compareTo(MINIMUM_WAIT) < 0) {
                    wait = MINIMUM_WAIT;
                }
                if (wait.compareTo(timing.draftLease()) > 0) {
                    wait = timing.draftLease();
                }
            }
        } catch (RuntimeException e) {
            monitor.warning("Decision receipts: cannot read or update the drafts in the outbox, trying again in %s: %s".formatted(AFTER_STORE_FAILURE, e.getMessage()));
            wait = AFTER_STORE_FAILURE;
        }
        schedulePass(wait);
    }

    // a draft this issuer now holds: find or append its entry, then sign once a head covers it, or let it go until later
    private void resume(StatementOutbox.Pending draft) {
        ReceiptDraft parsed;
        try {
            parsed = ReceiptDraft.parse(draft.statement());
        } catch (IllegalArgumentException e) {
            if (outbox.done(draft.id(), holder, StatementOutbox.Outcome.GAVE_UP, e.getMessage(), clock.instant())) {
                monitor.warning("Decision receipts: a draft in the outbox cannot be read and is dropped: " + e.getMessage());
            }
            return;
        }
        var stored = find(parsed.entry(), parsed.after());
        if (stored.isEmpty()) {
            // the connector stopped between the draft and the append: the decision was taken, so it enters the log now
            var recorded = recorder.record(parsed.entry());
            if (recorded.failed()) {
                later(draft, recorded.getFailureDetail());
                return;
            }
            stored = Optional.of(recorded.getContent());
        }
        var head = covering(stored.get());
        if (head.isEmpty()) {
            var at = stored.get().sequence() - 1;
            if (at > parsed.after()) {
                narrow(draft.id(), new ReceiptDraft(parsed.subject(), parsed.entry(), at), clock.instant().plus(FIRST_RETRY));
            } else {
                later(draft, "no signed tree head covers entry %d yet".formatted(stored.get().sequence()));
            }
            return;
        }
        var receipt = sign(parsed.subject(), stored.get(), head.get());
        if (outbox.complete(draft.id(), holder, KIND, receipt, clock.instant())) {
            monitor.debug("Decision receipts: the receipt of %s of %s, decided before the last stop, is signed".formatted(parsed.subject().event(),
                    parsed.subject().issuerProcessId()));
            wake.run();
        }
    }

    // the entry appended after position `after`: read from there to the head, never the whole log
    private Optional<StoredDecision> find(DecisionEntry entry, long after) {
        var wanted = DecisionJson.canonicalEntry(entry);
        var position = after + 1;
        while (true) {
            var page = log.readRange(position, SCAN_PAGE);
            for (var stored : page) {
                if (stored.entry().time().equals(entry.time()) && DecisionJson.canonicalEntry(stored.entry()).equals(wanted)) {
                    return Optional.of(stored);
                }
            }
            if (page.size() < SCAN_PAGE) {
                return Optional.empty();
            }
            position += page.size();
        }
    }

    // the draft rewritten to name the position just before its entry: the passes that wait for a head then read one
    // entry, not every entry appended since the decision
    private void narrow(String draftId, ReceiptDraft narrowed, Instant due) {
        outbox.complete(draftId, holder, DRAFT_KIND, narrowed.json(), due);
    }

    private void later(StatementOutbox.Pending draft, String problem) {
        var attempts = draft.attempts() + 1;
        var wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
        if (wait.compareTo(LAST_RETRY) > 0) {
            wait = LAST_RETRY;
        }
        if (attempts % 10 == 0) {
            monitor.warning("Decision receipts: a receipt is still not signed after %d tries: %s".formatted(attempts, problem));
        }
        outbox.retry(draft.id(), holder, attempts, clock.instant().plus(wait));
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

    private synchronized void schedulePass(Duration delay) {
        if (nextPass != null && !nextPass.isDone()) {
            if (nextPass.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
                return;
            }
            nextPass.cancel(false);
        }
        try {
            nextPass = executor.schedule(guarded(this::pass), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the drafts stay in the outbox for the next start
        }
    }

    private void submit(Runnable step, Duration delay) {
        try {
            executor.schedule(guarded(step), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the decision's draft stays in the outbox for the next start
        }
    }

    private Runnable guarded(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                monitor.warning("Decision receipts: a receipt could not be issued: " + e.getMessage());
            }
        };
    }
}
