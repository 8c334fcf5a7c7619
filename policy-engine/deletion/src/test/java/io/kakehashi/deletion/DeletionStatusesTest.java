package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.kakehashi.deletion.DeletionTestFixtures.CONSUMER;
import static io.kakehashi.deletion.DeletionTestFixtures.PROVIDER;
import static io.kakehashi.deletion.DeletionTestFixtures.SIGNED;
import static io.kakehashi.deletion.DeletionTestFixtures.agreement;
import static io.kakehashi.deletion.DeletionTestFixtures.agreementWithoutDuty;
import static org.assertj.core.api.Assertions.assertThat;

class DeletionStatusesTest {

    @TempDir
    Path dir;

    @Test
    void all_whenADeadlineHasPassedWithoutAReceipt_shouldReportItOverdueAtTheProvider() {
        var store = new FileDeletionStore(dir, new ObjectMapper());
        List<ContractAgreement> agreements = List.of(agreement("passed", "P10D"), agreement("ahead", "P60D"), agreement("confirmed", "P10D"),
                agreementWithoutDuty("no-duty"));
        store.save(new DeletionRecord(DeletionRecord.Role.PROVIDER, "confirmed", "shared-confirmed", CONSUMER, "operation-data", "jws", "e".repeat(64),
                SIGNED.plus(Duration.ofDays(9)), SIGNED.plus(Duration.ofDays(9)), DeletionRecord.Delivery.KEPT, null));
        var statuses = new DeletionStatuses(PROVIDER, agreements::stream, store, DeletionTestFixtures.at(SIGNED.plus(Duration.ofDays(30))));

        assertThat(statuses.all(null)).extracting(DeletionStatuses.Status::agreementId, DeletionStatuses.Status::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("passed", "OVERDUE"), org.assertj.core.groups.Tuple.tuple("ahead", "DUE"),
                        org.assertj.core.groups.Tuple.tuple("confirmed", "CONFIRMED"));
        assertThat(statuses.all("OVERDUE")).singleElement().satisfies(status -> {
            assertThat(status.role()).isEqualTo("provider");
            assertThat(status.counterpartyId()).isEqualTo(CONSUMER);
            assertThat(status.deadline()).isEqualTo(SIGNED.plus(Duration.ofDays(10)).toString());
        });
    }

    @Test
    void all_whenTheConnectorIsTheConsumer_shouldNeverCallItOverdue() {
        var store = new FileDeletionStore(dir, new ObjectMapper());
        var statuses = new DeletionStatuses(CONSUMER, List.of(agreement("passed", "P10D"))::stream, store, DeletionTestFixtures.at(SIGNED.plus(Duration.ofDays(30))));

        assertThat(statuses.all(null)).singleElement().satisfies(status -> {
            assertThat(status.role()).isEqualTo("consumer");
            assertThat(status.state()).isEqualTo("DUE");
        });
    }
}
