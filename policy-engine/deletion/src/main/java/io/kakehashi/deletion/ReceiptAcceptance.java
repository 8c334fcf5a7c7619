package io.kakehashi.deletion;

import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The provider's side: decides whether a deletion receipt is kept. It must read (form and fields), name an agreement
 * this connector provides, come from that agreement's consumer, and verify with the consumer's key as its DID document
 * publishes it. A kept receipt is a {@code deletion.receipt} entry in the decision log (PERMIT, the receipt's digest
 * and its items') and a PROVIDER record; a receipt already kept is answered as kept again. Nothing is stored for a
 * refused one. Thread-safe.
 */
public final class ReceiptAcceptance {

    /** Why a receipt was refused, as the HTTP status and message the sender gets. */
    public record Refusal(int status, String message) {
    }

    /** The outcome: the record kept, or the refusal. */
    public record Outcome(DeletionRecord kept, Refusal refusal) {
        static Outcome refused(int status, String message) {
            return new Outcome(null, new Refusal(status, message));
        }
    }

    private final String participantId;
    private final Function<String, ContractAgreement> agreements;
    private final SignerKeys keys;
    private final DecisionRecorder decisions;
    private final DeletionStore store;
    private final Clock clock;

    /**
     * @param agreements finds an agreement by its protocol id (or this connector's id), null when there is none
     */
    public ReceiptAcceptance(String participantId, Function<String, ContractAgreement> agreements, SignerKeys keys, DecisionRecorder decisions,
                             DeletionStore store, Clock clock) {
        this.participantId = participantId;
        this.agreements = agreements;
        this.keys = keys;
        this.decisions = decisions;
        this.store = store;
        this.clock = clock;
    }

    public synchronized Outcome accept(String compact) {
        var read = DeletionReceipts.read(compact);
        if (read.failed()) {
            return Outcome.refused(400, read.getFailureDetail());
        }
        var receipt = read.getContent().receipt();
        if (DeletionReceipt.CONSENT_WITHDRAWN.equals(receipt.cause())) {
            // it answers the provider's withdrawal notice (the consent module), which verifies and keeps it there
            return Outcome.refused(400, "a '%s' receipt answers a withdrawal notice and is not received here".formatted(receipt.cause()));
        }
        var agreement = agreements.apply(receipt.agreementId());
        if (agreement == null || !participantId.equals(agreement.getProviderId())) {
            return Outcome.refused(400, "agreement '%s' is not an agreement this connector provides".formatted(receipt.agreementId()));
        }
        if (!agreement.getConsumerId().equals(receipt.consumerId())) {
            return Outcome.refused(403, "the receipt names consumer '%s', but the agreement's consumer is another participant".formatted(receipt.consumerId()));
        }
        if (!participantId.equals(receipt.providerId()) || (receipt.assetId() != null && !receipt.assetId().equals(agreement.getAssetId()))) {
            return Outcome.refused(400, "the receipt's provider or asset is not the agreement's");
        }
        var key = keys.find(agreement.getConsumerId(), read.getContent().keyId());
        if (key.failed()) {
            return Outcome.refused(403, key.getFailureDetail());
        }
        if (!DeletionReceipts.verifies(read.getContent(), key.getContent())) {
            return Outcome.refused(403, "the receipt's signature does not verify with the consumer's key '%s'".formatted(read.getContent().keyId()));
        }
        var digest = DeletionReceipts.digest(compact);
        var known = store.find(DeletionRecord.Role.PROVIDER, agreement.getId());
        if (known.isPresent()) {
            if (digest.equals(known.get().receiptSha256())) {
                return new Outcome(known.get(), null);
            }
            return Outcome.refused(409, "a deletion receipt for agreement '%s' is already kept".formatted(receipt.agreementId()));
        }
        var recorded = decisions.record(entry(agreement, receipt, digest));
        if (recorded.failed()) {
            return Outcome.refused(503, "the receipt could not be recorded; send it again later");
        }
        var kept = new DeletionRecord(DeletionRecord.Role.PROVIDER, agreement.getId(), receipt.agreementId(), agreement.getConsumerId(),
                agreement.getAssetId(), compact, digest, receipt.deletedAt(), clock.instant(), DeletionRecord.Delivery.KEPT, null);
        // another replica may have kept a receipt for the agreement since the check above: the first one kept stands
        var first = store.keep(kept);
        if (!digest.equals(first.receiptSha256())) {
            return Outcome.refused(409, "a deletion receipt for agreement '%s' is already kept".formatted(receipt.agreementId()));
        }
        return new Outcome(first, null);
    }

    private DecisionEntry entry(ContractAgreement agreement, DeletionReceipt receipt, String digest) {
        var builder = DecisionEntry.builder().time(clock.instant()).scope(DecisionScope.DELETION_RECEIPT).counterpartyId(agreement.getConsumerId())
                .agreement(agreement.getAgreementId(), agreement.getId()).assetId(agreement.getAssetId()).outcome(DecisionOutcome.PERMIT)
                .digest("receipt", digest);
        var n = 0;
        for (var item : receipt.items()) {
            if (item.sha256() != null && n < DecisionEntry.MAX_DIGESTS - 1) {
                builder.digest("item-" + (++n), item.sha256());
            }
        }
        var deleted = receipt.items().stream().filter(DeletionReceipt.Item::deleted).count();
        var reason = "the consumer's signed receipt: %d of %d items deleted at %s (%s); signature verified".formatted(deleted, receipt.items().size(),
                receipt.deletedAt(), receipt.cause());
        return builder.reasons(List.of(new ConstraintReason("deletion", DecisionOutcome.PERMIT, reason))).build();
    }
}
