package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.core.spi.outbox.OutboxDelivery;
import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.policy.decisionlog.CheckpointSchedule;
import io.kakehashi.policy.decisionlog.CheckpointSigner;
import io.kakehashi.policy.decisionlog.CheckpointingDecisionRecorder;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No receipt lost to a crash (docs/decisions/0039, amendment "no receipt lost to a crash"): an issuer is dropped
 * without its shutdown — its executor stopped, nothing signed or flushed, as a SIGKILL leaves it — between the
 * decision and the signed tree head that covers its entry; a new issuer over the same stores then signs the receipt
 * and delivers it once, and a further start sends nothing. Each store (files, PostgreSQL) subclasses it with a way to
 * open its stores again, as a restarted connector does.
 */
abstract class ReceiptIssuerCrashTestBase {

    static final ECKey KEY = newKey();
    static final Receipts.Subject SUBJECT = new Receipts.Subject("negotiation.agreed", "provider", "consumer", "provider-negotiation-1",
            "consumer-negotiation-1", "agreement-1");
    static final String PEER = "https://consumer.example/protocol";
    static final Duration WAIT = Duration.ofSeconds(30);
    // short, so that a draft a crashed run held is taken up within the test (a file outbox takes it up at once)
    static final ReceiptIssuer.Timing TIMING = new ReceiptIssuer.Timing(Duration.ofSeconds(1), Duration.ofSeconds(2));

    /** The stores of one run of the connector. */
    /**
     * The stores a connector opens; {@code dropped} is what the operating system does to a killed process: files
     * closed, nothing written, nothing signed.
     */
    record Stores(DecisionLogStore log, CheckpointStore checkpoints, StatementOutbox outbox, Runnable dropped) {

        void drop() {
            dropped.run();
        }
    }

    /** Opens the stores, as a connector starting (again) does. */
    abstract Stores open();

    final List<String> received = new CopyOnWriteArrayList<>();
    final List<String> addresses = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Monitor monitor = new Monitor() {
        @Override
        public void warning(Supplier<String> supplier, Throwable... errors) {
            warnings.add(supplier.get());
        }
    };
    private final List<Run> runs = new ArrayList<>();

    @AfterEach
    void stopRuns() {
        runs.forEach(Run::stop);
    }

    @Test
    void aCrashAfterTheAppend_beforeTheSignedHead_shouldLeaveTheReceiptToTheNextStart_whichSendsItOnce() {
        var crashed = run(open(), false);
        crashed.recordUnrelated(3);
        var decision = decision();

        crashed.issuer.issue(decision);

        await().atMost(WAIT).until(() -> crashed.stores.log().head().sequence() == 4);
        crashed.crash();
        var stores = open();
        assertThat(stores.checkpoints().latest()).isEmpty();
        assertThat(stores.outbox().pending(ReceiptIssuer.KIND)).isEmpty();
        assertThat(stores.outbox().pending(ReceiptIssuer.DRAFT_KIND)).singleElement().satisfies(draft -> {
            assertThat(draft.address()).isEqualTo(PEER);
            // what the receipt carries anyway, never the key that signs it
            assertThat(draft.statement()).contains("provider-negotiation-1").doesNotContain(KEY.getD().toString());
        });

        var restarted = run(stores, true);

        await().atMost(WAIT).until(() -> received.size() == 1);
        var receipt = Receipts.verify(received.get(0), kid -> Optional.of(KEY.toPublicJWK()), Instant.now());
        assertThat(addresses).containsExactly(PEER);
        assertThat(receipt.event()).isEqualTo("negotiation.agreed");
        assertThat(receipt.recipientProcessId()).isEqualTo("consumer-negotiation-1");
        assertThat(receipt.sequence()).isEqualTo(4);
        assertThat(receipt.entryHash()).isEqualTo(restarted.stores.log().read(4).getContent().hash());
        // the entry was in the log already: not appended a second time
        assertThat(restarted.stores.log().head().sequence()).isEqualTo(4);
        await().atMost(WAIT).until(() -> restarted.stores.outbox().pending(ReceiptIssuer.KIND).isEmpty());
        assertThat(restarted.stores.outbox().pending(ReceiptIssuer.DRAFT_KIND)).isEmpty();
        assertThat(warnings).noneMatch(warning -> warning.contains(KEY.getD().toString()));
    }

    @Test
    void aDraftWhoseEntryWasNeverAppended_shouldHaveTheNextStartAppendItOnce_andSendItsReceipt() {
        // the draft is kept, the append does not happen (the log refused it; a kill at that moment leaves the same)
        var crashed = run(open(), false, false);
        crashed.recordUnrelated(2);
        var decision = decision();

        crashed.issuer.issue(decision);

        await().atMost(WAIT).until(() -> warnings.stream().anyMatch(warning -> warning.contains("could not be recorded")));
        crashed.crash();
        var restarted = run(open(), true);

        await().atMost(WAIT).until(() -> received.size() == 1);
        var receipt = Receipts.verify(received.get(0), kid -> Optional.of(KEY.toPublicJWK()), Instant.now());
        assertThat(receipt.sequence()).isEqualTo(3);
        assertThat(restarted.stores.log().head().sequence()).isEqualTo(3);
        // the decision as it was taken, at its own time
        assertThat(restarted.stores.log().read(3).getContent().entry()).isEqualTo(decision.entry());
        assertThat(Receipts.entry(received.get(0))).isEqualTo(decision.entry());
    }

    @Test
    void aSecondStart_shouldNeitherSignNorSendTheReceiptAgain() throws InterruptedException {
        var crashed = run(open(), false);
        crashed.issuer.issue(decision());
        await().atMost(WAIT).until(() -> crashed.stores.log().head().sequence() == 1);
        crashed.crash();
        var restarted = run(open(), true);
        await().atMost(WAIT).until(() -> received.size() == 1 && restarted.stores.outbox().pending(ReceiptIssuer.KIND).isEmpty());
        restarted.stop();

        var again = run(open(), true);
        // a start's passes run at once; give them time to do what they (wrongly) would
        Thread.sleep(1500);

        assertThat(received).hasSize(1);
        assertThat(again.stores.log().head().sequence()).isEqualTo(1);
        assertThat(again.stores.outbox().pending(ReceiptIssuer.KIND)).isEmpty();
        assertThat(again.stores.outbox().pending(ReceiptIssuer.DRAFT_KIND)).isEmpty();
    }

    @Test
    void aHeadLaterThanTheWait_shouldLeaveTheDraftNamingItsEntry_andSignItOnceAHeadComes() {
        var slow = run(open(), false);
        slow.recordUnrelated(2);
        slow.interleaved = 3;
        slow.delivery.start();
        slow.issuer.start();

        slow.issuer.issue(decision());

        // the wait for a head (1 s) is over: the draft names the position before its entry (6), not the head before
        // the decision (2), so the passes that wait for a head read one entry
        await().atMost(WAIT).until(() -> slow.stores.outbox().pending(ReceiptIssuer.DRAFT_KIND).stream()
                .anyMatch(draft -> ReceiptDraft.parse(draft.statement()).after() == 5));
        assertThat(received).isEmpty();
        slow.recorder.checkpointNow();

        await().atMost(WAIT).until(() -> received.size() == 1);
        var receipt = Receipts.verify(received.get(0), kid -> Optional.of(KEY.toPublicJWK()), Instant.now());
        assertThat(receipt.sequence()).isEqualTo(6);
        assertThat(slow.stores.log().head().sequence()).isEqualTo(6);
    }

    @Test
    void withoutACrash_shouldCompleteTheDraftInto_theOneReceiptSent() {
        var live = run(open(), true);

        live.issuer.issue(decision());

        await().atMost(WAIT).until(() -> received.size() == 1);
        await().atMost(WAIT).until(() -> live.stores.outbox().pending(ReceiptIssuer.KIND).isEmpty());
        assertThat(live.stores.outbox().pending(ReceiptIssuer.DRAFT_KIND)).isEmpty();
        assertThat(live.stores.log().head().sequence()).isEqualTo(1);
    }

    static ReceiptIssuer.Decision decision() {
        return decision(1);
    }

    /** The provider's agreement in negotiation {@code n}. */
    static ReceiptIssuer.Decision decision(int n) {
        var subject = new Receipts.Subject(SUBJECT.event(), SUBJECT.issuer(), SUBJECT.recipient(), "provider-negotiation-" + n, "consumer-negotiation-" + n,
                "agreement-" + n);
        var entry = DecisionEntry.builder().time(Instant.now()).scope(DecisionScope.CONTRACT_NEGOTIATION).counterpartyId("consumer")
                .negotiationId(subject.issuerProcessId()).agreement(subject.agreementId(), null).assetId("machine-data").outcome(DecisionOutcome.PERMIT)
                .reasons(List.of(new ConstraintReason("negotiation.agreed", DecisionOutcome.PERMIT, "the provider agreed to the contract request"))).build();
        return new ReceiptIssuer.Decision(subject, PEER, entry);
    }

    /**
     * One run of the connector over {@code stores}. A run that {@code signs} has the recorder's tail timer (the head
     * is signed within 200 ms of an entry, and an earlier run's unsigned tail at start) and sends receipts; one that
     * does not signs no head, as a connector killed before its timer fired.
     */
    Run run(Stores stores, boolean signs) {
        return run(stores, signs, true);
    }

    /** A run whose issuer's appends fail when not {@code appends} (the log refuses them). */
    Run run(Stores stores, boolean signs, boolean appends) {
        var run = new Run(stores, signs, appends);
        runs.add(run);
        return run;
    }

    final class Run {

        final Stores stores;
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        final ScheduledExecutorService tailTimer = Executors.newSingleThreadScheduledExecutor();
        final CheckpointingDecisionRecorder recorder;
        final OutboxDelivery delivery;
        final ReceiptIssuer issuer;
        /** How many other decisions land between a receipt's draft and its entry's append. */
        volatile int interleaved;
        private boolean stopped;

        Run(Stores stores, boolean signs, boolean appends) {
            this.stores = stores;
            var clock = Clock.systemUTC();
            recorder = new CheckpointingDecisionRecorder(stores.log(), stores.checkpoints(), new CheckpointSigner(KEY, clock),
                    new CheckpointSchedule(1000, Duration.ofHours(1), Duration.ofMillis(200)), clock, signs ? tailTimer : null);
            delivery = new OutboxDelivery(stores.outbox(), ReceiptIssuer.KIND, (address, statement) -> {
                addresses.add(address);
                received.add(statement);
                return 200;
            }, OutboxDelivery.Settings.attempts(3), clock, monitor, null);
            DecisionRecorder issuing = entry -> {
                if (!appends) {
                    return Result.failure(DecisionRecorder.NOT_RECORDED + ": the disk is full");
                }
                recordUnrelated(interleaved);
                return recorder.record(entry);
            };
            issuer = new ReceiptIssuer(issuing, stores.log(), stores.checkpoints(), new DecisionLogTree(stores.log()), () -> KEY, stores.outbox(),
                    delivery::wake, executor, clock, monitor, TIMING, null);
            if (signs) {
                delivery.start();
                issuer.start();
            }
        }

        void recordUnrelated(int count) {
            for (int i = 0; i < count; i++) {
                recorder.record(DecisionEntry.builder().time(Instant.now()).scope(DecisionScope.CATALOG).counterpartyId("consumer")
                        .outcome(DecisionOutcome.PERMIT).reasons(List.of()).build());
            }
        }

        /** Gone at once: the threads stopped mid-way, no head signed at the end, the stores' files closed by the OS. */
        void crash() {
            executor.shutdownNow();
            tailTimer.shutdownNow();
            delivery.close();
            stores.drop();
            stopped = true;
        }

        /** The ordinary stop. */
        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            delivery.close();
            executor.shutdownNow();
            tailTimer.shutdownNow();
            stores.drop();
        }
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("provider-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
