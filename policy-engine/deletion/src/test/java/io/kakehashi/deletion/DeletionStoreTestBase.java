package io.kakehashi.deletion;

import io.kakehashi.testfixtures.Concurrently;
import io.kakehashi.testfixtures.StoreContractTestBase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link DeletionStore} promises; each implementation subclasses it. */
public abstract class DeletionStoreTestBase extends StoreContractTestBase<DeletionStore> {

    protected static DeletionRecord record(DeletionRecord.Role role, String agreementId, String receipt, DeletionRecord.Delivery delivery) {
        var deleted = Instant.parse("2026-12-31T00:00:41.123456789Z");
        return new DeletionRecord(role, agreementId, "shared-" + agreementId, "did:web:p", "asset", receipt, receipt.repeat(64).substring(0, 64), deleted,
                deleted.plusNanos(7), delivery, delivery == DeletionRecord.Delivery.REFUSED ? "409 conflict" : null);
    }

    @Test
    void find_shouldGiveTheLatestRecordPerRoleAndAgreement() {
        store().save(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.PENDING));
        store().save(record(DeletionRecord.Role.CONSUMER, "a-2", "b", DeletionRecord.Delivery.PENDING));
        store().save(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.REFUSED));

        assertThat(store().find(DeletionRecord.Role.CONSUMER, "a-1")).contains(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.REFUSED));
        assertThat(store().find(DeletionRecord.Role.PROVIDER, "a-1")).isEmpty();
        assertThat(store().find(DeletionRecord.Role.CONSUMER, "unknown")).isEmpty();
        // a delivery's outcome does not move the record: the order is the one first written
        assertThat(store().all()).extracting(DeletionRecord::agreementId).containsExactly("a-1", "a-2");
    }

    @Test
    void save_shouldKeepNullFieldsAsNull() {
        var sparse = new DeletionRecord(DeletionRecord.Role.PROVIDER, "a-3", null, null, null, "jws", null, null, null, DeletionRecord.Delivery.KEPT, null);
        store().save(sparse);

        assertThat(open().find(DeletionRecord.Role.PROVIDER, "a-3")).contains(sparse);
    }

    @Test
    void keep_whenARecordIsKeptAlready_shouldAnswerTheFirstAndChangeNothing() {
        var first = record(DeletionRecord.Role.PROVIDER, "a-1", "a", DeletionRecord.Delivery.KEPT);
        var second = record(DeletionRecord.Role.PROVIDER, "a-1", "b", DeletionRecord.Delivery.KEPT);

        assertThat(store().keep(first)).isEqualTo(first);
        assertThat(store().keep(second)).isEqualTo(first);
        assertThat(store().find(DeletionRecord.Role.PROVIDER, "a-1")).contains(first);
        // the other role is another record
        var consumer = record(DeletionRecord.Role.CONSUMER, "a-1", "c", DeletionRecord.Delivery.PENDING);
        assertThat(store().keep(consumer)).isEqualTo(consumer);
    }

    @Test
    void records_shouldReadBackAfterARestart() {
        store().save(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.PENDING));
        store().keep(record(DeletionRecord.Role.PROVIDER, "a-2", "b", DeletionRecord.Delivery.KEPT));
        store().save(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.CONFIRMED));

        var restarted = open();

        assertThat(restarted.all()).containsExactly(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.CONFIRMED),
                record(DeletionRecord.Role.PROVIDER, "a-2", "b", DeletionRecord.Delivery.KEPT));
        assertThat(restarted.keep(record(DeletionRecord.Role.PROVIDER, "a-2", "c", DeletionRecord.Delivery.KEPT)).receipt()).isEqualTo("b");
    }

    @Test
    void keep_whenTwoInstancesKeepReceiptsForOneAgreementAtOnce_shouldLetExactlyOneIn() throws Exception {
        var instances = List.of(store(), replica());
        for (var round = 0; round < 10; round++) {
            var agreement = "agreement-" + round;
            var calls = new ArrayList<Callable<DeletionRecord>>();
            for (var i = 0; i < instances.size(); i++) {
                var offered = record(DeletionRecord.Role.PROVIDER, agreement, "receipt-" + i, DeletionRecord.Delivery.KEPT);
                var instance = instances.get(i);
                calls.add(() -> instance.keep(offered));
            }

            var answers = Concurrently.call(calls);

            // both answer the same receipt, and it is the one the store holds
            assertThat(answers.get(0)).isEqualTo(answers.get(1));
            assertThat(store().find(DeletionRecord.Role.PROVIDER, agreement)).contains(answers.get(0));
        }
        assertThat(store().all()).hasSize(10);
    }
}
