package io.kakehashi.consent;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.kakehashi.consent.ConsentTestFixtures.ASSET;
import static io.kakehashi.consent.ConsentTestFixtures.CONSUMER;
import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ConsentStore} promises; each implementation subclasses it. */
public abstract class ConsentStoreTestBase {

    protected abstract ConsentStore store();

    /** The store as a restarted connector opens it again. */
    protected abstract ConsentStore reopened();

    private static Consent consent(String id, String subject, String asset, Instant granted) {
        return new Consent(id, subject, asset, List.of("analytics", "ai.training"), "membership:smart-life", granted, granted.plusSeconds(3600), null);
    }

    @Test
    void save_shouldReadBackBySubjectAndAssetOldestFirst() {
        var later = consent("c2", "subject-1", ASSET, Instant.parse("2026-12-02T00:00:00Z"));
        var earlier = consent("c1", "subject-1", null, Instant.parse("2026-12-01T00:00:00Z"));
        var other = consent("c3", "subject-2", "other-asset", Instant.parse("2026-12-01T00:00:00Z"));
        store().save(later);
        store().save(earlier);
        store().save(other);

        assertThat(store().find("c2")).contains(later);
        assertThat(store().findBySubject("subject-1")).containsExactly(earlier, later);
        // a consent that names no asset concerns every asset
        assertThat(store().findByAsset(ASSET)).containsExactly(earlier, later);
        assertThat(store().findByAsset("other-asset")).containsExactly(earlier, other);
        assertThat(store().find("unknown")).isEmpty();
    }

    @Test
    void save_whenWithdrawn_shouldReplaceAndSurviveARestart() {
        var consent = consent("c1", "subject-1", ASSET, Instant.parse("2026-12-01T00:00:00Z"));
        store().save(consent);
        var withdrawn = consent.withdrawn(Instant.parse("2026-12-03T00:00:00Z"));
        store().save(withdrawn);

        assertThat(reopened().find("c1")).contains(withdrawn);
        assertThat(reopened().findBySubject("subject-1")).containsExactly(withdrawn);
    }

    @Test
    void delivered_shouldBeFoundPerSubjectAfterARestart() {
        var at = Instant.parse("2026-12-04T00:00:00Z");
        store().delivered(new ConsentStore.Delivery("agreement-1", CONSUMER, ASSET, "transfer-1", "transfer", Set.of("subject-1", "subject-2"), at));
        store().delivered(new ConsentStore.Delivery("agreement-2", CONSUMER, ASSET, "job-1", "compute", Set.of("subject-2"), at.plusSeconds(1)));

        var ofFirst = reopened().deliveriesOf("subject-1");
        assertThat(ofFirst).singleElement().satisfies(d -> {
            assertThat(d.agreementId()).isEqualTo("agreement-1");
            assertThat(d.consumerId()).isEqualTo(CONSUMER);
            assertThat(d.useId()).isEqualTo("transfer-1");
            assertThat(d.kind()).isEqualTo("transfer");
            assertThat(d.at()).isEqualTo(at);
        });
        assertThat(reopened().deliveriesOf("subject-2")).extracting(ConsentStore.Delivery::useId).containsExactly("transfer-1", "job-1");
        assertThat(reopened().deliveriesOf("subject-3")).isEmpty();
    }

    @Test
    void noticed_shouldKeepTheLatestPerAgreementAfterARestart() {
        var at = Instant.parse("2026-12-05T00:00:00Z");
        store().noticed(new ConsentStore.Notice("c1", "agreement-1", CONSUMER, ConsentStore.Notice.State.PENDING, "no answer", null, at));
        store().noticed(new ConsentStore.Notice("c1", "agreement-2", CONSUMER, ConsentStore.Notice.State.REFUSED, "not ours", null, at));
        var confirmed = new ConsentStore.Notice("c1", "agreement-1", CONSUMER, ConsentStore.Notice.State.CONFIRMED, null, "a.b.c", at.plusSeconds(5));
        store().noticed(confirmed);

        assertThat(reopened().notices("c1")).hasSize(2).contains(confirmed)
                .anySatisfy(n -> assertThat(n.state()).isEqualTo(ConsentStore.Notice.State.REFUSED));
        assertThat(reopened().notices("c2")).isEmpty();
        assertThat(reopened().pendingNotices()).isEmpty();
    }

    @Test
    void pendingNotices_shouldListOnlyThoseNotDeliveredOldestFirst() {
        var at = Instant.parse("2026-12-05T00:00:00Z");
        store().noticed(new ConsentStore.Notice("c2", "agreement-2", CONSUMER, ConsentStore.Notice.State.PENDING, "no answer", null, at.plusSeconds(1)));
        store().noticed(new ConsentStore.Notice("c1", "agreement-1", CONSUMER, ConsentStore.Notice.State.PENDING, "no answer", null, at));
        store().noticed(new ConsentStore.Notice("c1", "agreement-3", CONSUMER, ConsentStore.Notice.State.NOT_CONFIRMING, null, null, at));

        assertThat(reopened().pendingNotices()).extracting(ConsentStore.Notice::agreementId).containsExactly("agreement-1", "agreement-2");
    }
}
