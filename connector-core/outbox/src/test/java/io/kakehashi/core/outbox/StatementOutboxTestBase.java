package io.kakehashi.core.outbox;

import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.core.spi.outbox.StatementOutbox.Outcome;
import io.kakehashi.core.spi.outbox.StatementOutbox.Pending;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link StatementOutbox} promises; each implementation subclasses it with its store and a way to open the
 * same store again, as a restart or another replica would.
 */
abstract class StatementOutboxTestBase {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(2);

    /** The outbox under test. */
    abstract StatementOutbox outbox();

    /** The same outbox as a connector started again (a file) or another replica (a database) sees it. */
    abstract StatementOutbox reopened();

    @Test
    void put_shouldKeepTheStatementDueAtOnce_andClaimHandItOutOnce() {
        var kept = outbox().put("decision-receipt", "https://peer.example/protocol", "a.b.c", T0);

        assertThat(kept.attempts()).isZero();
        assertThat(outbox().nextDue("decision-receipt")).contains(T0);
        assertThat(outbox().claim("decision-receipt", "replica-1", T0, T0.plus(LEASE), 10)).singleElement()
                .satisfies(claimed -> {
                    assertThat(claimed.id()).isEqualTo(kept.id());
                    assertThat(claimed.address()).isEqualTo("https://peer.example/protocol");
                    assertThat(claimed.statement()).isEqualTo("a.b.c");
                });
        // claimed: nobody else gets it until the claim ends
        assertThat(outbox().claim("decision-receipt", "replica-2", T0.plusSeconds(1), T0.plusSeconds(1).plus(LEASE), 10)).isEmpty();
        assertThat(outbox().nextDue("decision-receipt")).contains(T0.plus(LEASE));
        // another kind is another sender's
        assertThat(outbox().claim("run-report", "replica-2", T0, T0.plus(LEASE), 10)).isEmpty();
    }

    @Test
    void retry_shouldCountTheAttemptAndWaitUntilDue() {
        var kept = outbox().put("decision-receipt", "https://peer.example", "a.b.c", T0);
        outbox().claim("decision-receipt", "replica-1", T0, T0.plus(LEASE), 10);

        assertThat(outbox().retry(kept.id(), "replica-1", 1, T0.plusSeconds(1))).isTrue();

        assertThat(outbox().claim("decision-receipt", "replica-1", T0.plusMillis(999), T0.plus(LEASE), 10)).isEmpty();
        assertThat(outbox().nextDue("decision-receipt")).contains(T0.plusSeconds(1));
        assertThat(outbox().claim("decision-receipt", "replica-2", T0.plusSeconds(1), T0.plus(LEASE), 10)).singleElement()
                .extracting(Pending::attempts).isEqualTo(1);
    }

    @Test
    void done_shouldEndTheStatement_forThisOutboxAndAReopenedOne() {
        var kept = outbox().put("decision-receipt", "https://peer.example", "a.b.c", T0);
        var other = outbox().put("decision-receipt", "https://peer.example", "d.e.f", T0);
        outbox().claim("decision-receipt", "replica-1", T0, T0.plus(LEASE), 1);

        assertThat(outbox().done(kept.id(), "replica-1", Outcome.DELIVERED, null, T0.plusSeconds(1))).isTrue();

        assertThat(outbox().pending("decision-receipt")).extracting(Pending::id).containsExactly(other.id());
        assertThat(reopened().pending("decision-receipt")).extracting(Pending::id).containsExactly(other.id());
        assertThat(outbox().done(kept.id(), "replica-1", Outcome.DELIVERED, null, T0.plusSeconds(1))).isFalse();
    }

    @Test
    void aClaimThatRanOut_shouldGoToTheNextHolder_andTheFirstHolderNoLongerCounts() {
        var kept = outbox().put("decision-receipt", "https://peer.example", "a.b.c", T0);
        outbox().claim("decision-receipt", "crashed", T0, T0.plus(LEASE), 10);

        var taken = outbox().claim("decision-receipt", "survivor", T0.plus(LEASE), T0.plus(LEASE).plus(LEASE), 10);

        assertThat(taken).extracting(Pending::id).containsExactly(kept.id());
        assertThat(outbox().done(kept.id(), "crashed", Outcome.DELIVERED, null, T0.plus(LEASE))).isFalse();
        assertThat(outbox().retry(kept.id(), "crashed", 1, T0.plus(LEASE))).isFalse();
        assertThat(outbox().done(kept.id(), "survivor", Outcome.REFUSED, "the peer answered 400", T0.plus(LEASE))).isTrue();
        assertThat(outbox().pending("decision-receipt")).isEmpty();
        assertThat(outbox().nextDue("decision-receipt")).isEmpty();
    }

    @Test
    void claim_shouldTakeTheOldestDueFirst_andNoMoreThanAsked() {
        var later = outbox().put("decision-receipt", "https://peer.example", "later", T0.plusSeconds(5));
        var earlier = outbox().put("decision-receipt", "https://peer.example", "earlier", T0);
        outbox().put("decision-receipt", "https://peer.example", "latest", T0.plusSeconds(9));

        assertThat(outbox().claim("decision-receipt", "replica-1", T0.plusSeconds(10), T0.plus(LEASE), 2)).extracting(Pending::id)
                .containsExactly(earlier.id(), later.id());
    }

    @Test
    void hold_shouldKeepTheDraftClaimedByItsHolder_untilTheClaimEnds() {
        var draft = outbox().hold("decision-receipt-draft", "https://peer.example/protocol", "{\"entry\":1}", "replica-1", T0, T0.plus(LEASE));

        assertThat(outbox().claim("decision-receipt-draft", "replica-2", T0.plusSeconds(1), T0.plus(LEASE), 10)).isEmpty();
        assertThat(outbox().nextDue("decision-receipt-draft")).contains(T0.plus(LEASE));
        // a draft is not a statement to send
        assertThat(outbox().claim("decision-receipt", "replica-2", T0.plusSeconds(1), T0.plus(LEASE), 10)).isEmpty();
        assertThat(outbox().claim("decision-receipt-draft", "replica-2", T0.plus(LEASE), T0.plus(LEASE).plus(LEASE), 10))
                .extracting(Pending::id).containsExactly(draft.id());
        assertThat(reopened().pending("decision-receipt-draft")).singleElement().satisfies(kept -> {
            assertThat(kept.id()).isEqualTo(draft.id());
            assertThat(kept.statement()).isEqualTo("{\"entry\":1}");
        });
    }

    @Test
    void complete_shouldReplaceTheDraftByTheSignedStatement_dueAtOnceAndUnclaimed() {
        var draft = outbox().hold("decision-receipt-draft", "https://peer.example/protocol", "{\"entry\":1}", "replica-1", T0, T0.plus(LEASE));
        outbox().retry(draft.id(), "replica-1", 2, T0);
        outbox().claim("decision-receipt-draft", "replica-1", T0, T0.plus(LEASE), 10);

        assertThat(outbox().complete(draft.id(), "replica-1", "decision-receipt", "a.b.c", T0.plusSeconds(3))).isTrue();

        // completed once: the holder's claim went with the draft
        assertThat(outbox().complete(draft.id(), "replica-1", "decision-receipt", "d.e.f", T0.plusSeconds(4))).isFalse();
        assertThat(outbox().pending("decision-receipt-draft")).isEmpty();
        assertThat(outbox().claim("decision-receipt", "replica-2", T0.plusSeconds(3), T0.plus(LEASE), 10)).extracting(Pending::statement)
                .containsExactly("a.b.c");
        var restarted = reopened();
        assertThat(restarted.pending("decision-receipt-draft")).isEmpty();
        assertThat(restarted.pending("decision-receipt")).singleElement().satisfies(statement -> {
            assertThat(statement.id()).isEqualTo(draft.id());
            assertThat(statement.statement()).isEqualTo("a.b.c");
            assertThat(statement.address()).isEqualTo("https://peer.example/protocol");
            assertThat(statement.attempts()).isZero();
            assertThat(statement.due()).isEqualTo(T0.plusSeconds(3));
        });
    }

    @Test
    void complete_byAHolderWhoseClaimWasTaken_shouldChangeNothing() {
        var draft = outbox().hold("decision-receipt-draft", "https://peer.example", "{\"entry\":1}", "stalled", T0, T0.plus(LEASE));
        outbox().claim("decision-receipt-draft", "survivor", T0.plus(LEASE), T0.plus(LEASE).plus(LEASE), 10);

        assertThat(outbox().complete(draft.id(), "stalled", "decision-receipt", "a.b.c", T0.plus(LEASE))).isFalse();

        assertThat(outbox().pending("decision-receipt")).isEmpty();
        assertThat(outbox().complete(draft.id(), "survivor", "decision-receipt", "d.e.f", T0.plus(LEASE))).isTrue();
        assertThat(outbox().pending("decision-receipt")).extracting(Pending::statement).containsExactly("d.e.f");
    }
}
