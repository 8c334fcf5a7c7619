package io.kakehashi.consent;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kakehashi.consent.ConsentTestFixtures.ASSET;
import static io.kakehashi.consent.ConsentTestFixtures.CONSUMER;
import static io.kakehashi.consent.ConsentTestFixtures.MAPPER;
import static io.kakehashi.consent.ConsentTestFixtures.NOW;
import static io.kakehashi.consent.ConsentTestFixtures.STRANGER;
import static io.kakehashi.consent.ConsentTestFixtures.agreement;
import static io.kakehashi.consent.ConsentTestFixtures.consent;
import static org.assertj.core.api.Assertions.assertThat;

class ConsentNarrowingTest {

    private static final String CSV = """
            receipt_id,customer_id,store,amount
            r1,alice,ginza,1200
            r2,bob,"shibuya, east",800
            r3,carol,umeda,"1,500"
            r4,alice,ginza,300
            r5,,ginza,100
            r6,erin,"two
            lines",50
            r7,dave,ginza,70
            r8,gina,ginza,10
            """;

    @TempDir
    Path directory;
    private final ConsentTestFixtures.RecordedDecisions decisions = new ConsentTestFixtures.RecordedDecisions();
    private final Map<String, ContractAgreement> agreements = new HashMap<>();
    private final Map<String, VerifiedClaims> claims = new HashMap<>();
    private final ConsentTestFixtures.MovableClock clock = new ConsentTestFixtures.MovableClock(NOW);
    private FileConsentStore store;
    private ConsentNarrowing narrowing;

    @BeforeEach
    void setUp() {
        store = new FileConsentStore(directory, MAPPER);
        var fields = Map.of(ASSET, "customer_id");
        narrowing = new ConsentNarrowing(asset -> Optional.ofNullable(fields.get(asset)), agreements::get, claims::get, store,
                new ConsentRules(JurisdictionGroups.none()), new PersonalRecords(MAPPER), decisions, clock);
        agreements.put("a-analytics", agreement("a-analytics", "analytics"));
        agreements.put("a-two", agreement("a-two", "analytics", "ai.training"));
        agreements.put("a-none", agreement("a-none"));
        store.save(consent("alice", "any", "analytics"));
        store.save(new Consent("c-bob", "bob", ASSET, List.of("analytics"), "any", NOW.minusSeconds(7200), NOW.minusSeconds(60), null));
        store.save(consent("carol", CONSUMER, "analytics").withdrawn(NOW.minusSeconds(3600)));
        store.save(consent("erin", STRANGER, "analytics"));
        store.save(consent("dave", "any", "research"));
    }

    private record Run(Result<ConsentFilter.Narrowed> result, String out) {
    }

    private Run run(ConsentFilter.Use use, String content, String format) throws IOException {
        var out = new ByteArrayOutputStream();
        var result = narrowing.narrow(use, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), format, out);
        return new Run(result, out.toString(StandardCharsets.UTF_8));
    }

    private static ConsentFilter.Use transfer(String agreementId) {
        return ConsentFilter.Use.transfer(agreementId, ASSET, "transfer-1");
    }

    @Test
    void appliesTo_shouldFollowTheAssetsSubjectField() {
        assertThat(narrowing.appliesTo(ASSET)).isTrue();
        assertThat(narrowing.appliesTo("machine-data")).isFalse();
    }

    @Nested
    class Transfer {

        @Test
        void narrow_shouldDeliverOnlyTheRecordsOfSubjectsWhoseConsentCoversIt() throws IOException {
            var run = run(transfer("a-analytics"), CSV, "text/csv");

            assertThat(run.result().succeeded()).isTrue();
            assertThat(run.out()).isEqualTo("""
                    receipt_id,customer_id,store,amount
                    r1,alice,ginza,1200
                    r4,alice,ginza,300
                    """);
            assertThat(run.result().getContent()).isEqualTo(new ConsentFilter.Narrowed(2, 6));
        }

        @Test
        void narrow_whenASubjectGaveNoConsent_shouldLeaveItsRecordOut() throws IOException {
            var run = run(transfer("a-analytics"), "receipt_id,customer_id\nr8,gina\nr1,alice\n", "text/csv");

            assertThat(run.out()).isEqualTo("receipt_id,customer_id\nr1,alice\n");
            assertThat(decisions.entries.get(0).reasons().get(0).reason()).contains("left out: 1 no consent");
        }

        @Test
        void narrow_shouldRecordCountsAndReasonsButNoSubject() throws IOException {
            run(transfer("a-analytics"), CSV, "text/csv");

            assertThat(decisions.entries).singleElement().satisfies(entry -> {
                assertThat(entry.scope()).isEqualTo(DecisionScope.TRANSFER_PROCESS);
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
                assertThat(entry.transferId()).isEqualTo("transfer-1");
                assertThat(entry.agreementId()).isEqualTo("shared-a-analytics");
                assertThat(entry.counterpartyId()).isEqualTo(CONSUMER);
                var reason = entry.reasons().get(0).reason();
                assertThat(reason).contains("2 of 8 records delivered (1 data subjects)", "1 no consent", "1 withdrawn", "1 expired",
                        "1 for another purpose", "1 for another recipient", "1 no data subject in the record");
                assertThat(reason).doesNotContain("alice", "bob", "carol", "dave", "erin", "gina");
            });
        }

        @Test
        void narrow_shouldKeepWhoseRecordsWentToWhom() throws IOException {
            run(transfer("a-analytics"), CSV, "text/csv");

            assertThat(store.deliveriesOf("alice")).singleElement().satisfies(d -> {
                assertThat(d.agreementId()).isEqualTo("a-analytics");
                assertThat(d.consumerId()).isEqualTo(CONSUMER);
                assertThat(d.useId()).isEqualTo("transfer-1");
            });
            assertThat(store.deliveriesOf("bob")).isEmpty();
        }

        @Test
        void narrow_whenTheAgreementGrantsAPurposeNotConsented_shouldLeaveTheRecordOut() throws IOException {
            // the agreement lets the consumer train models too; alice consented to analytics only
            var run = run(transfer("a-two"), CSV, "text/csv");

            assertThat(run.out()).isEqualTo("receipt_id,customer_id,store,amount\n");
            assertThat(run.result().getContent().delivered()).isZero();
        }

        @Test
        void narrow_whenWithdrawnBeforeTheTransfer_shouldLeaveTheRecordOut() throws IOException {
            var alice = store.findBySubject("alice").get(0);
            store.save(alice.withdrawn(NOW.minusSeconds(1)));

            var run = run(transfer("a-analytics"), CSV, "text/csv");

            assertThat(run.out()).doesNotContain("alice");
            assertThat(decisions.entries.get(0).reasons().get(0).reason()).contains("3 withdrawn");
        }

        @Test
        void narrow_whenTheConsentHasExpiredSince_shouldLeaveTheRecordOut() throws IOException {
            store.save(new Consent("c-alice", "alice", ASSET, List.of("analytics"), "any", NOW.minusSeconds(60), NOW.plusSeconds(60), null));
            assertThat(run(transfer("a-analytics"), CSV, "text/csv").out()).contains("alice");

            clock.set(NOW.plusSeconds(120));
            store.findBySubject("alice").stream().filter(c -> c.expiresAt() == null).forEach(c -> store.save(c.withdrawn(NOW)));

            assertThat(run(transfer("a-analytics"), CSV, "text/csv").out()).doesNotContain("alice");
        }

        @Test
        void narrow_ofJsonLines_shouldDeliverOnlyConsentedRecords() throws IOException {
            var lines = """
                    {"receipt":"r1","customer_id":"alice","amount":1200}
                    {"receipt":"r2","customer_id":"bob","amount":800}
                    {"receipt":"r3","amount":5}
                    not json
                    """;

            var run = run(transfer("a-analytics"), lines, "application/x-ndjson");

            assertThat(run.out()).isEqualTo("{\"receipt\":\"r1\",\"customer_id\":\"alice\",\"amount\":1200}\n");
            assertThat(run.result().getContent()).isEqualTo(new ConsentFilter.Narrowed(1, 3));
        }

        @Test
        void narrow_whenTheConsumerIsAMemberOfTheConsentedDataspace_shouldDeliver() throws IOException {
            store.save(consent("frank", "membership:smart-life", "analytics"));
            var content = "receipt_id,customer_id\nr8,frank\n";
            assertThat(run(transfer("a-analytics"), content, "text/csv").out()).doesNotContain("frank");

            claims.put("a-analytics", VerifiedClaims.of(CONSUMER, Map.of(VerifiedClaims.MEMBERSHIPS, List.of("smart-life"))));

            assertThat(run(transfer("a-analytics"), content, "text/csv").out()).contains("r8,frank");
        }
    }

    @Nested
    class Refusals {

        @Test
        void narrow_whenTheAgreementNamesNoPurpose_shouldRefuseAndRecordTheDenial() throws IOException {
            var run = run(transfer("a-none"), CSV, "text/csv");

            assertThat(run.result().failed()).isTrue();
            assertThat(run.result().getFailureDetail()).contains("holds personal data", "names no purpose");
            assertThat(decisions.entries).singleElement().satisfies(entry -> assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY));
            assertThat(store.deliveriesOf("alice")).isEmpty();
        }

        @Test
        void narrow_whenTheContentLacksTheSubjectColumn_shouldRefuse() throws IOException {
            var run = run(transfer("a-analytics"), "receipt_id,amount\nr1,5\n", "text/csv");

            assertThat(run.result().getFailureDetail()).contains("no column 'customer_id'");
            assertThat(decisions.entries.get(0).outcome()).isEqualTo(DecisionOutcome.DENY);
        }

        @Test
        void narrow_whenTheContentHasNoRecords_shouldRefuse() throws IOException {
            var run = run(transfer("a-analytics"), "%PDF-1.7", "application/pdf");

            assertThat(run.result().getFailureDetail()).contains("neither CSV nor JSON Lines");
        }

        @Test
        void narrow_whenTheOutcomeCannotBeRecorded_shouldRefuseAndKeepNoDelivery() throws IOException {
            decisions.failing = true;

            var run = run(transfer("a-analytics"), CSV, "text/csv");

            assertThat(run.result().getFailureDetail()).contains("could not be recorded");
            assertThat(store.deliveriesOf("alice")).isEmpty();
        }
    }

    @Nested
    class Compute {

        @Test
        void narrow_shouldDecideOnThePurposeTheJobServes() throws IOException {
            // the agreement also grants ai.training, but an SQL job serves analytics, which alice consented to
            var run = run(ConsentFilter.Use.compute("a-two", ASSET, "job-1", "sql"), CSV, "receipts.csv");

            assertThat(run.out()).contains("r1,alice", "r4,alice").doesNotContain("bob", "carol", "dave", "erin");
            assertThat(decisions.entries.get(0).scope()).isEqualTo(DecisionScope.COMPUTE);
            assertThat(decisions.entries.get(0).reasons().get(0).reason()).contains("(job job-1)");
            assertThat(store.deliveriesOf("alice")).singleElement().satisfies(d -> assertThat(d.kind()).isEqualTo("compute"));
        }

        @Test
        void narrow_whenTheJobServesAPurposeNotConsented_shouldLeaveTheRecordOut() throws IOException {
            var run = run(ConsentFilter.Use.compute("a-two", ASSET, "job-2", "training"), CSV, "receipts.csv");

            assertThat(run.out()).isEqualTo("receipt_id,customer_id,store,amount\n");
        }

        @Test
        void narrow_whenTheAgreementDoesNotGrantTheJobsPurpose_shouldRefuse() throws IOException {
            var run = run(ConsentFilter.Use.compute("a-analytics", ASSET, "job-3", "training"), CSV, "receipts.csv");

            assertThat(run.result().getFailureDetail()).contains("serves ai.training", "does not grant");
        }
    }
}
