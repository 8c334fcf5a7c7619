package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.lineage.InMemoryLineageStore;
import io.kakehashi.lineage.LineageRecord;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.kakehashi.deletion.DeletionTestFixtures.CONSUMER;
import static io.kakehashi.deletion.DeletionTestFixtures.PROVIDER;
import static io.kakehashi.deletion.DeletionTestFixtures.SIGNED;
import static io.kakehashi.deletion.DeletionTestFixtures.agreement;
import static io.kakehashi.deletion.DeletionTestFixtures.agreementWithoutDuty;
import static io.kakehashi.deletion.DeletionTestFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

class ConsumerDeletionCheckTest {

    @TempDir
    Path dir;

    private final ECKey consumerKey = key(CONSUMER);
    private final DeletionTestFixtures.MovableClock clock = new DeletionTestFixtures.MovableClock(SIGNED.plusSeconds(60));
    private final DeletionTestFixtures.RecordedDecisions decisions = new DeletionTestFixtures.RecordedDecisions();
    private final InMemoryLineageStore lineage = new InMemoryLineageStore();
    private final Set<String> terminated = ConcurrentHashMap.newKeySet();
    private final List<ContractAgreement> agreements = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    private int answer = 200;
    private DeletionStore store;
    private ConsumerDeletionCheck check;
    private Path received;
    private Path model;

    @BeforeEach
    void start() throws IOException {
        store = new FileDeletionStore(dir.resolve("store"), new ObjectMapper());
        AgreementStatus status = id -> terminated.contains(id) ? Result.failure("agreement %s can no longer be used".formatted(id)) : Result.success();
        var deletion = new ConsumerDeletion(lineage, () -> consumerKey, decisions, store, clock);
        ReceiptSender sender = (base, receipt) -> {
            if (answer < 0) {
                throw new IOException("connection refused");
            }
            sent.add(base + " " + receipt);
            return new ReceiptSender.Answer(answer, answer == 400 ? "agreement 'x' is not an agreement this connector provides" : "");
        };
        check = new ConsumerDeletionCheck(CONSUMER, agreements::stream, status, deletion, store, sender, id -> "http://127.0.0.1:8001/protocol", clock,
                new ConsoleMonitor());
        received = Files.writeString(dir.resolve("operation.csv"), "machine,rpm\nMC-1,8000\n");
        model = Files.writeString(dir.resolve("model.json"), "{\"weights\":[1,2]}");
    }

    private void receive(String agreementId) {
        lineage.save(new LineageRecord("transfer-1", LineageKind.FILE, agreementId, PROVIDER, "operation-data", received.toString(), "c".repeat(64), SIGNED));
        lineage.save(new LineageRecord("job-2", LineageKind.MODEL, agreementId, PROVIDER, "operation-data", model.toString(), "d".repeat(64), SIGNED));
        lineage.save(new LineageRecord("push-3", LineageKind.FILE, agreementId, PROVIDER, "operation-data", "HttpData", null, SIGNED));
    }

    @Test
    void run_whenTheDeadlineHasCome_shouldDeleteWhatWasReceivedAndDeliverTheSignedReceipt() {
        agreements.add(agreement("agreement-1", "P30D"));
        receive("agreement-1");
        clock.set(SIGNED.plus(java.time.Duration.ofDays(30)));

        check.run();

        assertThat(received).doesNotExist();
        assertThat(model).doesNotExist();
        var record = store.find(DeletionRecord.Role.CONSUMER, "agreement-1").orElseThrow();
        assertThat(record.delivery()).isEqualTo(DeletionRecord.Delivery.CONFIRMED);
        assertThat(sent).singleElement().asString().startsWith("http://127.0.0.1:8001/protocol ");
        var read = DeletionReceipts.read(record.receipt()).getContent();
        assertThat(DeletionReceipts.verifies(read, consumerKey.toPublicJWK())).isTrue();
        assertThat(read.receipt().cause()).isEqualTo(DeletionReceipt.DEADLINE);
        assertThat(read.receipt().agreementId()).isEqualTo("shared-agreement-1");
        assertThat(read.receipt().items()).containsExactlyInAnyOrder(new DeletionReceipt.Item("transfer-1", "FILE", "c".repeat(64), true),
                new DeletionReceipt.Item("job-2", "MODEL", "d".repeat(64), true), new DeletionReceipt.Item("push-3", "FILE", null, false));
        assertThat(decisions.entries).singleElement().satisfies(entry -> {
            assertThat(entry.scope()).isEqualTo(DecisionScope.DELETION);
            assertThat(entry.counterpartyId()).isEqualTo(PROVIDER);
            assertThat(entry.agreementId()).isEqualTo("shared-agreement-1");
            assertThat(entry.localAgreementId()).isEqualTo("agreement-1");
            assertThat(entry.digests()).containsEntry("receipt", record.receiptSha256()).containsValues("c".repeat(64), "d".repeat(64));
            assertThat(entry.reasons().get(0).reason()).startsWith("deleted 2 of 3 items received under agreement shared-agreement-1 (deadline");
        });
    }

    @Test
    void run_whenTheAgreementLetsTheConsumerKeepModels_shouldDeleteTheFileButKeepTheModel() {
        agreements.add(agreement("agreement-1", "P30D", "https://w3id.org/kakehashi/policy/derivedModels", "keep"));
        receive("agreement-1");
        clock.set(SIGNED.plus(java.time.Duration.ofDays(30)));

        check.run();

        assertThat(received).doesNotExist();
        assertThat(model).exists();
        var read = DeletionReceipts.read(store.find(DeletionRecord.Role.CONSUMER, "agreement-1").orElseThrow().receipt()).getContent();
        assertThat(read.receipt().items()).contains(new DeletionReceipt.Item("job-2", "MODEL", "d".repeat(64), false, "derivedModels keep"),
                new DeletionReceipt.Item("transfer-1", "FILE", "c".repeat(64), true));
    }

    @Test
    void run_whenModelsAreUseOnly_shouldDeleteTheModelToo() {
        agreements.add(agreement("agreement-1", "P30D", "https://w3id.org/kakehashi/policy/derivedModels", "use-only"));
        receive("agreement-1");
        clock.set(SIGNED.plus(java.time.Duration.ofDays(30)));

        check.run();

        assertThat(model).doesNotExist();
    }

    @Test
    void run_whenTheDeadlineIsAhead_shouldKeepTheFiles() {
        agreements.add(agreement("agreement-1", "P30D"));
        receive("agreement-1");
        clock.set(SIGNED.plus(java.time.Duration.ofDays(29)));

        check.run();

        assertThat(received).exists();
        assertThat(store.all()).isEmpty();
        assertThat(decisions.entries).isEmpty();
    }

    @Test
    void run_whenTheAgreementIsTerminatedBeforeItsDeadline_shouldDeleteWithTerminationAsCause() {
        agreements.add(agreement("agreement-1", "P30D"));
        receive("agreement-1");
        terminated.add("agreement-1");

        check.run();

        assertThat(received).doesNotExist();
        var record = store.find(DeletionRecord.Role.CONSUMER, "agreement-1").orElseThrow();
        assertThat(DeletionReceipts.read(record.receipt()).getContent().receipt().cause()).isEqualTo(DeletionReceipt.TERMINATION);
    }

    @Test
    void run_whenTheAgreementHasNoDeletionDuty_shouldDeleteNothing() {
        agreements.add(agreementWithoutDuty("agreement-1"));
        receive("agreement-1");
        terminated.add("agreement-1");
        clock.set(SIGNED.plus(java.time.Duration.ofDays(3650)));

        check.run();

        assertThat(received).exists();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void run_whenTheProviderAnswers404_shouldRecordItAsNotConfirming() {
        agreements.add(agreement("agreement-1", "P30D"));
        answer = 404;
        clock.set(SIGNED.plus(java.time.Duration.ofDays(31)));

        check.run();
        check.run();

        var record = store.find(DeletionRecord.Role.CONSUMER, "agreement-1").orElseThrow();
        assertThat(record.delivery()).isEqualTo(DeletionRecord.Delivery.NOT_CONFIRMING);
        assertThat(sent).hasSize(1);
    }

    @Test
    void run_whenTheProviderRefuses_shouldKeepItsReason() {
        agreements.add(agreement("agreement-1", "P30D"));
        answer = 400;
        clock.set(SIGNED.plus(java.time.Duration.ofDays(31)));

        check.run();

        assertThat(store.find(DeletionRecord.Role.CONSUMER, "agreement-1").orElseThrow().detail())
                .isEqualTo("400 agreement 'x' is not an agreement this connector provides");
    }

    @Test
    void run_whenTheProviderIsUnreachable_shouldSendAgainAtTheNextCheckAndDeleteOnce() {
        agreements.add(agreement("agreement-1", "P30D"));
        receive("agreement-1");
        answer = -1;
        clock.set(SIGNED.plus(java.time.Duration.ofDays(31)));

        check.run();
        assertThat(store.find(DeletionRecord.Role.CONSUMER, "agreement-1").orElseThrow().delivery()).isEqualTo(DeletionRecord.Delivery.PENDING);
        answer = 200;
        check.run();

        assertThat(store.find(DeletionRecord.Role.CONSUMER, "agreement-1").orElseThrow().delivery()).isEqualTo(DeletionRecord.Delivery.CONFIRMED);
        assertThat(decisions.entries).hasSize(1);
    }

    @Test
    void run_whenTheConnectorIsTheProvider_shouldDeleteNothing() {
        agreements.add(agreement("agreement-1", "P30D"));
        receive("agreement-1");
        clock.set(SIGNED.plus(java.time.Duration.ofDays(31)));
        var providerCheck = new ConsumerDeletionCheck(PROVIDER, agreements::stream, id -> Result.success(),
                new ConsumerDeletion(lineage, () -> consumerKey, decisions, store, clock), store, (b, r) -> new ReceiptSender.Answer(200, ""),
                id -> null, clock, new ConsoleMonitor());

        providerCheck.run();

        assertThat(received).exists();
        assertThat(store.all()).isEmpty();
    }
}
