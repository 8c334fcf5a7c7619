package io.kakehashi.consent.withdrawal;

import io.kakehashi.consent.Consent;
import io.kakehashi.consent.ConsentNarrowing;
import io.kakehashi.consent.ConsentRules;
import io.kakehashi.consent.ConsentStore;
import io.kakehashi.deletion.DeletionReceipt;
import io.kakehashi.deletion.DeletionReceipts;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The provider's side of a withdrawal: when a data subject withdraws a consent, every consumer that received the
 * subject's records by a transfer under an agreement — and that no other consent of the subject still covers — is sent
 * a {@link WithdrawalNotice} signed with the connector's signing key, at its protocol context. The consumer answers
 * with its deletion receipt (cause {@code consent-withdrawn}), which is kept only if it reads, names the agreement,
 * the consumer, this provider and the notice's subject, and verifies with a key the consumer's DID document publishes;
 * it is then recorded in the decision log ({@code deletion.receipt}). Compute jobs delivered results, not records, and
 * are not notified. What became of each notice is kept ({@link ConsentStore.Notice}); a notice not delivered is sent
 * again by {@link #resendPending()} and when the consent is withdrawn again. Thread-safe.
 */
public final class WithdrawalNotifier {

    private final String participantId;
    private final ConsentStore store;
    private final ConsentRules rules;
    private final Function<String, ContractAgreement> agreements;
    private final Function<String, Optional<String>> subjectFields;
    private final Function<String, VerifiedClaims> consumerClaims;
    private final Function<String, String> consumerAddresses;
    private final NoticeSender sender;
    private final ConnectorSigningKey signingKey;
    private final SignerKeys keys;
    private final DecisionRecorder decisions;
    private final Clock clock;
    private final Monitor monitor;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param agreements        an agreement by this connector's id, null when unknown
     * @param consumerAddresses the protocol context of an agreement's consumer (by this connector's agreement id), null when unknown
     */
    public WithdrawalNotifier(String participantId, ConsentStore store, ConsentRules rules, Function<String, ContractAgreement> agreements,
                              Function<String, Optional<String>> subjectFields, Function<String, VerifiedClaims> consumerClaims,
                              Function<String, String> consumerAddresses, NoticeSender sender, ConnectorSigningKey signingKey, SignerKeys keys,
                              DecisionRecorder decisions, Clock clock, Monitor monitor) {
        this.participantId = participantId;
        this.store = store;
        this.rules = rules;
        this.agreements = agreements;
        this.subjectFields = subjectFields;
        this.consumerClaims = consumerClaims;
        this.consumerAddresses = consumerAddresses;
        this.sender = sender;
        this.signingKey = signingKey;
        this.keys = keys;
        this.decisions = decisions;
        this.clock = clock;
        this.monitor = monitor;
    }

    /** Tells the consumers of the subject's records that the consent was withdrawn; the notices as they now stand. */
    public synchronized List<ConsentStore.Notice> withdrawn(Consent consent) {
        var confirmed = new ArrayList<String>();
        store.notices(consent.id()).stream().filter(n -> n.state() == ConsentStore.Notice.State.CONFIRMED).forEach(n -> confirmed.add(n.agreementId()));
        var byAgreement = new LinkedHashMap<String, ConsentStore.Delivery>();
        for (var delivery : store.deliveriesOf(consent.subjectId())) {
            if ("transfer".equals(delivery.kind()) && consent.concerns(delivery.assetId()) && !confirmed.contains(delivery.agreementId())) {
                byAgreement.putIfAbsent(delivery.agreementId(), delivery);
            }
        }
        for (var delivery : byAgreement.values()) {
            var agreement = agreements.apply(delivery.agreementId());
            if (agreement == null || stillCovered(consent.subjectId(), agreement)) {
                continue;
            }
            store.noticed(notify(consent, agreement));
        }
        return store.notices(consent.id());
    }

    /**
     * Sends again every notice not yet delivered (the connector's periodic retry).
     *
     * @return how many withdrawn consents had one
     */
    public int resendPending() {
        var consentIds = store.pendingNotices().stream().map(ConsentStore.Notice::consentId).distinct().toList();
        var resent = 0;
        for (var consentId : consentIds) {
            var consent = store.find(consentId);
            if (consent.isPresent() && consent.get().withdrawnAt() != null) {
                withdrawn(consent.get());
                resent++;
            }
        }
        return resent;
    }

    private boolean stillCovered(String subjectId, ContractAgreement agreement) {
        var purposes = ConsentNarrowing.purposesOf(ConsentFilter.Use.transfer(agreement.getId(), agreement.getAssetId(), null), agreement);
        if (purposes.failed()) {
            return false;
        }
        var claims = Optional.ofNullable(consumerClaims.apply(agreement.getId())).orElse(VerifiedClaims.onlyParticipant(agreement.getConsumerId()));
        var theirs = store.findBySubject(subjectId).stream().filter(c -> c.concerns(agreement.getAssetId())).toList();
        return rules.verdict(theirs, purposes.getContent(), claims, clock.instant()) == ConsentRules.Verdict.ADMITTED;
    }

    private ConsentStore.Notice notify(Consent consent, ContractAgreement agreement) {
        var now = clock.instant();
        var protocolId = agreement.getAgreementId() == null ? agreement.getId() : agreement.getAgreementId();
        var salt = new byte[16];
        random.nextBytes(salt);
        var saltHex = HexFormat.of().formatHex(salt);
        var field = subjectFields.apply(agreement.getAssetId()).orElse("");
        var notice = new WithdrawalNotice(protocolId, agreement.getAssetId(), participantId, agreement.getConsumerId(), field, saltHex,
                WithdrawalNotice.digest(saltHex, consent.subjectId()), consent.withdrawnAt());
        var address = consumerAddresses.apply(agreement.getId());
        if (address == null) {
            return state(consent, agreement, ConsentStore.Notice.State.PENDING, "the consumer's protocol address is not known", null);
        }
        NoticeSender.Answer answer;
        try {
            answer = sender.send(address, WithdrawalNotices.sign(notice, signingKey.current()));
        } catch (IOException e) {
            monitor.warning("Withdrawal notice for agreement %s not delivered: %s".formatted(agreement.getId(), e.getClass().getSimpleName()));
            return state(consent, agreement, ConsentStore.Notice.State.PENDING, "the consumer could not be reached", null);
        }
        if (answer.status() == 404) {
            return state(consent, agreement, ConsentStore.Notice.State.NOT_CONFIRMING, "the consumer's connector has no withdrawal endpoint", null);
        }
        if (answer.status() >= 500) {
            return state(consent, agreement, ConsentStore.Notice.State.PENDING, "the consumer answered %d: %s".formatted(answer.status(), answer.message()), null);
        }
        if (answer.status() != 200 || answer.receipt() == null) {
            return state(consent, agreement, ConsentStore.Notice.State.REFUSED, "the consumer answered %d: %s".formatted(answer.status(), answer.message()), null);
        }
        var refusal = verify(answer.receipt(), agreement, protocolId, notice);
        if (refusal != null) {
            return state(consent, agreement, ConsentStore.Notice.State.REFUSED, refusal, null);
        }
        var receipt = DeletionReceipts.read(answer.receipt()).getContent().receipt();
        var recorded = decisions.record(entry(agreement, receipt, DeletionReceipts.digest(answer.receipt())));
        if (recorded.failed()) {
            return state(consent, agreement, ConsentStore.Notice.State.PENDING, "the receipt could not be recorded; the notice is sent again", null);
        }
        return new ConsentStore.Notice(consent.id(), agreement.getId(), agreement.getConsumerId(), ConsentStore.Notice.State.CONFIRMED, null,
                answer.receipt(), now);
    }

    // why the consumer's receipt is not kept, or null when it is
    private String verify(String compact, ContractAgreement agreement, String protocolId, WithdrawalNotice notice) {
        var read = DeletionReceipts.read(compact);
        if (read.failed()) {
            return "the consumer's receipt: " + read.getFailureDetail();
        }
        var receipt = read.getContent().receipt();
        if (!DeletionReceipt.CONSENT_WITHDRAWN.equals(receipt.cause()) || !notice.subject().equals(receipt.subject())
                || !protocolId.equals(receipt.agreementId()) || !participantId.equals(receipt.providerId())
                || !agreement.getConsumerId().equals(receipt.consumerId())) {
            return "the consumer's receipt is not for this notice (cause, subject, agreement or parties differ)";
        }
        var key = keys.find(agreement.getConsumerId(), read.getContent().keyId());
        if (key.failed()) {
            return "the consumer's receipt: " + key.getFailureDetail();
        }
        if (!DeletionReceipts.verifies(read.getContent(), key.getContent())) {
            return "the consumer's receipt does not verify with its key '%s'".formatted(read.getContent().keyId());
        }
        return null;
    }

    private ConsentStore.Notice state(Consent consent, ContractAgreement agreement, ConsentStore.Notice.State state, String detail, String receipt) {
        return new ConsentStore.Notice(consent.id(), agreement.getId(), agreement.getConsumerId(), state, detail, receipt, clock.instant());
    }

    private DecisionEntry entry(ContractAgreement agreement, DeletionReceipt receipt, String digest) {
        var changed = receipt.items().stream().filter(DeletionReceipt.Item::deleted).count();
        var reason = "the consumer's signed receipt: one data subject's records deleted from %d of %d items at %s (%s); signature verified"
                .formatted(changed, receipt.items().size(), receipt.deletedAt(), receipt.cause());
        return DecisionEntry.builder().time(clock.instant()).scope(DecisionScope.DELETION_RECEIPT).counterpartyId(agreement.getConsumerId())
                .agreement(agreement.getAgreementId(), agreement.getId()).assetId(agreement.getAssetId()).outcome(DecisionOutcome.PERMIT)
                .digest("receipt", digest).digest("subject", receipt.subject())
                .reasons(List.of(new ConstraintReason("consent", DecisionOutcome.PERMIT, reason))).build();
    }
}
