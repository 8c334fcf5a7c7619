package io.kakehashi.lineage;

import io.kakehashi.lineage.spi.LineageKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link LineageStore} must do. */
abstract class LineageStoreTestBase {

    static final Instant T0 = Instant.parse("2026-12-07T03:00:00.123456789Z");

    protected abstract LineageStore store();

    static LineageRecord record(String id, String agreementId, String destination, Instant at) {
        return new LineageRecord(id, LineageKind.FILE, agreementId, "did:web:provider", "asset-1", destination, "ab".repeat(32), at);
    }

    @Test
    void save_shouldKeepTheRecordExactly() {
        var record = record("transfer-1", "agreement-1", "/inbox/a.csv", T0);

        assertThat(store().save(record)).isTrue();

        assertThat(store().findById("transfer-1")).contains(record);
        assertThat(store().findById("transfer-2")).isEmpty();
    }

    @Test
    void save_whenTheIdIsKnown_shouldKeepTheFirstRecord() {
        var first = record("transfer-1", "agreement-1", "/inbox/a.csv", T0);
        store().save(first);

        assertThat(store().save(record("transfer-1", "agreement-2", "/inbox/b.csv", T0.plusSeconds(1)))).isFalse();
        assertThat(store().findById("transfer-1")).contains(first);
    }

    @Test
    void findByAgreementAndDestination_shouldListTheMatchingRecordsOldestFirst() {
        var later = record("transfer-2", "agreement-1", "/inbox/a.csv", T0.plusNanos(1));
        var earlier = record("transfer-1", "agreement-1", "/inbox/a.csv", T0);
        var other = new LineageRecord("job-1", LineageKind.MODEL, "agreement-2", null, null, "/results/job-1.json", null, T0);
        store().save(later);
        store().save(earlier);
        store().save(other);

        assertThat(store().findByAgreement("agreement-1")).containsExactly(earlier, later);
        assertThat(store().findByAgreement("agreement-2")).containsExactly(other);
        assertThat(store().findByDestination("/inbox/a.csv")).containsExactly(earlier, later);
        assertThat(store().findByDestination("/inbox/none.csv")).isEmpty();
    }
}
