package io.kakehashi.consent.withdrawal;

import io.kakehashi.consent.ConsentRules;
import io.kakehashi.consent.PersonalRecords;
import io.kakehashi.deletion.DeletionReceipt;
import io.kakehashi.deletion.DeletionReceipts;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.LineageRecord;
import io.kakehashi.lineage.LineageStore;
import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The consumer's side of a withdrawal: a provider's signed notice that a data subject withdrew its consent is verified
 * (an agreement this connector consumes, from that agreement's provider, signed with a key its DID document publishes),
 * then the subject's records are deleted from every file the lineage says arrived under the agreement — each file
 * rewritten without them, in place — and a deletion receipt with cause {@code consent-withdrawn} is signed with the
 * connector's signing key, recorded in the decision log ({@code deletion}) and answered to the provider. The files to
 * change come from this connector's lineage, never from the notice. Compute results and models received under the
 * agreement are aggregates that cannot be narrowed per subject: they stay, listed in the receipt as retained. A file
 * that cannot be rewritten stops everything before anything is signed (the provider sends again). Thread-safe.
 */
public final class SubjectRecordsDeletion {

    /** Why a compute result or model stays when one subject withdraws. */
    public static final String NOT_PER_SUBJECT = "aggregate: not per data subject";

    /** The answer: the signed receipt, or the refusal as an HTTP status and message. */
    public record Outcome(String receipt, int status, String message) {
        static Outcome refused(int status, String message) {
            return new Outcome(null, status, message);
        }
    }

    private final String participantId;
    private final Function<String, ContractAgreement> agreements;
    private final SignerKeys keys;
    private final LineageStore lineage;
    private final PersonalRecords records;
    private final ConnectorSigningKey signingKey;
    private final DecisionRecorder decisions;
    private final Clock clock;

    /**
     * @param agreements an agreement by its protocol id (or this connector's), null when unknown
     */
    public SubjectRecordsDeletion(String participantId, Function<String, ContractAgreement> agreements, SignerKeys keys, LineageStore lineage,
                                  PersonalRecords records, ConnectorSigningKey signingKey, DecisionRecorder decisions, Clock clock) {
        this.participantId = participantId;
        this.agreements = agreements;
        this.keys = keys;
        this.lineage = lineage;
        this.records = records;
        this.signingKey = signingKey;
        this.decisions = decisions;
        this.clock = clock;
    }

    public synchronized Outcome accept(String compact) {
        var read = WithdrawalNotices.read(compact);
        if (read.failed()) {
            return Outcome.refused(400, read.getFailureDetail());
        }
        var notice = read.getContent().notice();
        var agreement = agreements.apply(notice.agreementId());
        if (agreement == null || !participantId.equals(agreement.getConsumerId()) || !participantId.equals(notice.consumerId())) {
            return Outcome.refused(400, "agreement '%s' is not an agreement this connector consumes".formatted(notice.agreementId()));
        }
        if (!agreement.getProviderId().equals(notice.providerId())) {
            return Outcome.refused(403, "the notice names provider '%s', but the agreement's provider is another participant".formatted(notice.providerId()));
        }
        if (notice.assetId() != null && !notice.assetId().equals(agreement.getAssetId())) {
            return Outcome.refused(400, "the notice's asset is not the agreement's");
        }
        var key = keys.find(agreement.getProviderId(), read.getContent().keyId());
        if (key.failed()) {
            return Outcome.refused(403, key.getFailureDetail());
        }
        if (!WithdrawalNotices.verifies(read.getContent(), key.getContent())) {
            return Outcome.refused(403, "the notice's signature does not verify with the provider's key '%s'".formatted(read.getContent().keyId()));
        }
        var items = new ArrayList<DeletionReceipt.Item>();
        var removed = 0L;
        for (var record : lineage.findByAgreement(agreement.getId())) {
            if (record.kind() != LineageKind.FILE) {
                items.add(new DeletionReceipt.Item(record.id(), record.kind().name(), record.sha256(), false, NOT_PER_SUBJECT));
                continue;
            }
            long fromThis;
            try {
                fromThis = deleteFrom(record, notice);
            } catch (IOException e) {
                return Outcome.refused(503, "the subject's records cannot be deleted from what lineage %s received (%s); send the notice again later"
                        .formatted(record.id(), e.getClass().getSimpleName()));
            }
            removed += fromThis;
            items.add(new DeletionReceipt.Item(record.id(), record.kind().name(), record.sha256(), fromThis > 0));
        }
        var now = clock.instant();
        var protocolId = agreement.getAgreementId() == null ? agreement.getId() : agreement.getAgreementId();
        var receipt = new DeletionReceipt(protocolId, agreement.getAssetId(), agreement.getProviderId(), agreement.getConsumerId(),
                DeletionReceipt.CONSENT_WITHDRAWN, null, now, items, notice.subject());
        var signed = DeletionReceipts.sign(receipt, signingKey.current());
        var recorded = decisions.record(entry(agreement, receipt, DeletionReceipts.digest(signed), removed, notice));
        if (recorded.failed()) {
            return Outcome.refused(503, "the deletion was done but could not be recorded; send the notice again later");
        }
        return new Outcome(signed, 200, null);
    }

    // the subject's records out of one received file; how many there were
    private long deleteFrom(LineageRecord record, WithdrawalNotice notice) throws IOException {
        Path file;
        try {
            file = record.destination() == null ? null : Path.of(record.destination());
        } catch (InvalidPathException e) {
            file = null;
        }
        if (file == null || !file.isAbsolute() || !Files.isRegularFile(file)) {
            // delivered elsewhere (an HTTP push), or already deleted
            return 0;
        }
        var rewritten = Files.createTempFile(file.getParent(), ".withdrawal-", ".part");
        try {
            PersonalRecords.Tally tally;
            try (var in = Files.newInputStream(file); var out = Files.newOutputStream(rewritten)) {
                var copied = records.copy(in, out, PersonalRecords.sniff(file), notice.subjectField(),
                        subject -> subject != null && notice.names(subject) ? ConsentRules.Verdict.WITHDRAWN : ConsentRules.Verdict.ADMITTED);
                if (copied.failed()) {
                    // a file without the subject field holds none of the subject's records
                    return 0;
                }
                tally = copied.getContent();
            }
            var removed = tally.count(ConsentRules.Verdict.WITHDRAWN);
            if (removed > 0) {
                try {
                    Files.move(rewritten, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return removed;
        } finally {
            Files.deleteIfExists(rewritten);
        }
    }

    private DecisionEntry entry(ContractAgreement agreement, DeletionReceipt receipt, String digest, long removed, WithdrawalNotice notice) {
        var digests = new TreeMap<String, String>();
        digests.put("receipt", digest);
        digests.put("subject", notice.subject());
        var changed = receipt.items().stream().filter(DeletionReceipt.Item::deleted).count();
        var reason = "deleted %d records of one data subject (consent withdrawn at %s) from %d of %d items received under agreement %s; receipt signed for %s"
                .formatted(removed, notice.withdrawnAt(), changed, receipt.items().size(), receipt.agreementId(), receipt.providerId());
        return DecisionEntry.builder().time(receipt.deletedAt()).scope(DecisionScope.DELETION).counterpartyId(agreement.getProviderId())
                .agreement(agreement.getAgreementId(), agreement.getId()).assetId(agreement.getAssetId()).outcome(DecisionOutcome.PERMIT)
                .reasons(List.of(new ConstraintReason("consent", DecisionOutcome.PERMIT, reason))).digests(digests).build();
    }
}
