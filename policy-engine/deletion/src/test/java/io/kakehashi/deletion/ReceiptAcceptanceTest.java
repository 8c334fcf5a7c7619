package io.kakehashi.deletion;

import io.kakehashi.lineage.provenance.SignerKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.kakehashi.deletion.DeletionTestFixtures.CONSUMER;
import static io.kakehashi.deletion.DeletionTestFixtures.PROVIDER;
import static io.kakehashi.deletion.DeletionTestFixtures.STRANGER;
import static io.kakehashi.deletion.DeletionTestFixtures.agreement;
import static io.kakehashi.deletion.DeletionTestFixtures.at;
import static io.kakehashi.deletion.DeletionTestFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

class ReceiptAcceptanceTest {

    private static final Instant NOW = Instant.parse("2026-12-31T00:01:00Z");

    @TempDir
    Path dir;

    private final ECKey consumerKey = key(CONSUMER);
    private final ECKey strangerKey = key(STRANGER);
    private final ContractAgreement agreement = agreement("agreement-1", "P30D");
    private final DeletionTestFixtures.RecordedDecisions decisions = new DeletionTestFixtures.RecordedDecisions();
    private DeletionStore store;
    private ReceiptAcceptance acceptance;

    private void start() {
        store = new FileDeletionStore(dir, new ObjectMapper());
        Map<String, ECKey> published = Map.of(consumerKey.getKeyID(), consumerKey.toPublicJWK(), strangerKey.getKeyID(), strangerKey.toPublicJWK());
        SignerKeys keys = (participant, keyId) -> keyId.startsWith(participant + "#") && published.containsKey(keyId)
                ? Result.success(published.get(keyId)) : Result.failure("the DID document of %s has no key '%s'".formatted(participant, keyId));
        acceptance = new ReceiptAcceptance(PROVIDER, id -> id.equals("shared-agreement-1") ? agreement : null, keys, decisions, store, at(NOW));
    }

    private static DeletionReceipt receipt(String agreementId, String consumer) {
        return new DeletionReceipt(agreementId, "operation-data", PROVIDER, consumer, DeletionReceipt.DEADLINE, Instant.parse("2026-12-31T00:00:00Z"),
                Instant.parse("2026-12-31T00:00:05Z"), List.of(new DeletionReceipt.Item("transfer-1", "FILE", "b".repeat(64), true)));
    }

    @Test
    void accept_whenSignedByTheAgreementsConsumer_shouldKeepItAndRecordTheReceipt() {
        start();
        var signed = DeletionReceipts.sign(receipt("shared-agreement-1", CONSUMER), consumerKey);

        var outcome = acceptance.accept(signed);

        assertThat(outcome.refusal()).isNull();
        assertThat(store.find(DeletionRecord.Role.PROVIDER, "agreement-1")).hasValueSatisfying(kept -> {
            assertThat(kept.receipt()).isEqualTo(signed);
            assertThat(kept.counterpartyId()).isEqualTo(CONSUMER);
            assertThat(kept.delivery()).isEqualTo(DeletionRecord.Delivery.KEPT);
        });
        assertThat(decisions.entries).singleElement().satisfies(entry -> {
            assertThat(entry.scope()).isEqualTo(DecisionScope.DELETION_RECEIPT);
            assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
            assertThat(entry.agreementId()).isEqualTo("shared-agreement-1");
            assertThat(entry.localAgreementId()).isEqualTo("agreement-1");
            assertThat(entry.counterpartyId()).isEqualTo(CONSUMER);
            assertThat(entry.digests()).containsEntry("receipt", DeletionReceipts.digest(signed)).containsEntry("item-1", "b".repeat(64));
        });
        // sent again (the consumer did not see the answer): kept once, recorded once
        assertThat(acceptance.accept(signed).refusal()).isNull();
        assertThat(decisions.entries).hasSize(1);
    }

    @Test
    void accept_whenTheSignatureIsForged_shouldBeA403AndKeepNothing() {
        start();
        // another key under the consumer's key id: the signature does not verify with the published key
        var forged = DeletionReceipts.sign(receipt("shared-agreement-1", CONSUMER), key(CONSUMER));

        var outcome = acceptance.accept(forged);

        assertThat(outcome.refusal()).isEqualTo(new ReceiptAcceptance.Refusal(403,
                "the receipt's signature does not verify with the consumer's key '" + CONSUMER + "#key-1'"));
        assertThat(store.all()).isEmpty();
        assertThat(decisions.entries).isEmpty();
    }

    @Test
    void accept_whenSignedByAnotherParticipant_shouldBeA403NamingIt() {
        start();
        var byStranger = DeletionReceipts.sign(receipt("shared-agreement-1", CONSUMER), strangerKey);
        var strangerAsConsumer = DeletionReceipts.sign(receipt("shared-agreement-1", STRANGER), strangerKey);

        assertThat(acceptance.accept(byStranger).refusal()).isEqualTo(new ReceiptAcceptance.Refusal(403,
                "the DID document of %s has no key '%s'".formatted(CONSUMER, strangerKey.getKeyID())));
        assertThat(acceptance.accept(strangerAsConsumer).refusal().status()).isEqualTo(403);
        assertThat(acceptance.accept(strangerAsConsumer).refusal().message())
                .isEqualTo("the receipt names consumer '%s', but the agreement's consumer is another participant".formatted(STRANGER));
        assertThat(store.all()).isEmpty();
    }

    @Test
    void accept_whenTheAgreementIsUnknown_shouldBeA400NamingIt() {
        start();

        var outcome = acceptance.accept(DeletionReceipts.sign(receipt("no-such-agreement", CONSUMER), consumerKey));

        assertThat(outcome.refusal()).isEqualTo(new ReceiptAcceptance.Refusal(400, "agreement 'no-such-agreement' is not an agreement this connector provides"));
        assertThat(store.all()).isEmpty();
    }

    @Test
    void accept_aConsentWithdrawnReceipt_shouldBeA400AndNotCountAsTheAgreementsDeletion() {
        start();
        var signed = DeletionReceipts.sign(new DeletionReceipt("shared-agreement-1", "operation-data", PROVIDER, CONSUMER,
                DeletionReceipt.CONSENT_WITHDRAWN, null, Instant.parse("2026-12-31T00:00:05Z"), List.of(), "c".repeat(64)), consumerKey);

        var outcome = acceptance.accept(signed);

        assertThat(outcome.refusal().status()).isEqualTo(400);
        assertThat(outcome.refusal().message()).contains("answers a withdrawal notice");
        assertThat(store.find(DeletionRecord.Role.PROVIDER, "agreement-1")).isEmpty();
        assertThat(decisions.entries).isEmpty();
    }

    @Test
    void accept_whenMalformed_shouldBeA400() {
        start();

        assertThat(acceptance.accept("a.b.c").refusal().status()).isEqualTo(400);
        assertThat(acceptance.accept("").refusal()).isEqualTo(new ReceiptAcceptance.Refusal(400, "the receipt is empty"));
    }

    @Test
    void accept_whenAnotherReceiptIsAlreadyKept_shouldBeA409() {
        start();
        acceptance.accept(DeletionReceipts.sign(receipt("shared-agreement-1", CONSUMER), consumerKey));

        var second = acceptance.accept(DeletionReceipts.sign(new DeletionReceipt("shared-agreement-1", "operation-data", PROVIDER, CONSUMER,
                DeletionReceipt.TERMINATION, null, NOW, List.of()), consumerKey));

        assertThat(second.refusal().status()).isEqualTo(409);
        assertThat(decisions.entries).hasSize(1);
    }
}
