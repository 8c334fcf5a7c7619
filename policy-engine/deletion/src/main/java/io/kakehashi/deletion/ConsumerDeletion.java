package io.kakehashi.deletion;

import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.LineageRecord;
import io.kakehashi.lineage.LineageStore;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.policy.constraints.ai.DerivationConstraintFunction;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The consumer's side of a deletion duty: deletes every file, compute result and model its lineage says arrived under
 * the agreement, signs a {@link DeletionReceipt} with the connector's signing key, records a {@code deletion} entry in
 * the decision log (the receipt's digest and those of the items) and keeps the receipt, PENDING delivery. Content that
 * never was at the connector (delivered to an outside endpoint) is listed as not deleted, and so are compute results
 * under {@code derivedData keep} and models under {@code derivedModels keep}, with that as the reason. When a file cannot be
 * deleted nothing is signed and the failure says which; the next check tries again. Thread-safe.
 */
public final class ConsumerDeletion {

    private final LineageStore lineage;
    private final ConnectorSigningKey signingKey;
    private final DecisionRecorder decisions;
    private final DeletionStore store;
    private final Clock clock;

    public ConsumerDeletion(LineageStore lineage, ConnectorSigningKey signingKey, DecisionRecorder decisions, DeletionStore store, Clock clock) {
        this.lineage = lineage;
        this.signingKey = signingKey;
        this.decisions = decisions;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Deletes what was received under the agreement and keeps the signed receipt.
     *
     * @param cause    {@link DeletionReceipt#DEADLINE} or {@link DeletionReceipt#TERMINATION}
     * @param deadline the agreement's deletion deadline
     */
    public synchronized Result<DeletionRecord> delete(ContractAgreement agreement, String cause, Instant deadline) {
        var known = store.find(DeletionRecord.Role.CONSUMER, agreement.getId());
        if (known.isPresent()) {
            return Result.success(known.get());
        }
        var items = new ArrayList<DeletionReceipt.Item>();
        var keepData = DerivationConstraintFunction.of(agreement.getPolicy(), DerivationConstraintFunction.DERIVED_DATA)
                .filter(a -> a == DerivationConstraintFunction.Allowance.KEEP).isPresent();
        var keepModels = DerivationConstraintFunction.of(agreement.getPolicy(), DerivationConstraintFunction.DERIVED_MODELS)
                .filter(a -> a == DerivationConstraintFunction.Allowance.KEEP).isPresent();
        for (var record : lineage.findByAgreement(agreement.getId())) {
            // what the agreement lets the consumer keep outlives the data it was made from
            if (keepData && record.kind() == LineageKind.COMPUTE_RESULT) {
                items.add(new DeletionReceipt.Item(record.id(), record.kind().name(), record.sha256(), false, "derivedData keep"));
                continue;
            }
            if (keepModels && record.kind() == LineageKind.MODEL) {
                items.add(new DeletionReceipt.Item(record.id(), record.kind().name(), record.sha256(), false, "derivedModels keep"));
                continue;
            }
            var deleted = deleteContent(record);
            if (deleted.failed()) {
                return deleted.mapFailure();
            }
            items.add(new DeletionReceipt.Item(record.id(), record.kind().name(), record.sha256(), deleted.getContent()));
        }
        var now = clock.instant();
        var protocolId = agreement.getAgreementId() == null ? agreement.getId() : agreement.getAgreementId();
        var receipt = new DeletionReceipt(protocolId, agreement.getAssetId(), agreement.getProviderId(), agreement.getConsumerId(), cause, deadline, now, items);
        var signed = DeletionReceipts.sign(receipt, signingKey.current());
        var digest = DeletionReceipts.digest(signed);
        var recorded = decisions.record(entry(agreement, receipt, digest));
        if (recorded.failed()) {
            return Result.failure("the deletion under agreement %s was done but could not be recorded: %s".formatted(agreement.getId(), recorded.getFailureDetail()));
        }
        var kept = new DeletionRecord(DeletionRecord.Role.CONSUMER, agreement.getId(), protocolId, agreement.getProviderId(), agreement.getAssetId(),
                signed, digest, now, now, DeletionRecord.Delivery.PENDING, null);
        // a replica that deleted under the same agreement at the same moment may have kept its receipt first: that one is sent
        return Result.success(store.keep(kept));
    }

    private DecisionEntry entry(ContractAgreement agreement, DeletionReceipt receipt, String receiptDigest) {
        var digests = new TreeMap<String, String>();
        digests.put("receipt", receiptDigest);
        // the receipt lists every item; the entry names the first fifteen so an auditor holding a file finds its deletion
        var n = 0;
        for (var item : receipt.items()) {
            if (item.sha256() != null && n < DecisionEntry.MAX_DIGESTS - 1) {
                digests.put("item-" + (++n), item.sha256());
            }
        }
        var deleted = receipt.items().stream().filter(DeletionReceipt.Item::deleted).count();
        var reason = "deleted %d of %d items received under agreement %s (%s%s); receipt signed for %s".formatted(deleted, receipt.items().size(),
                receipt.agreementId(), receipt.cause(), receipt.deadline() == null ? "" : ", deadline " + receipt.deadline(), receipt.providerId());
        return DecisionEntry.builder().time(receipt.deletedAt()).scope(DecisionScope.DELETION).counterpartyId(agreement.getProviderId())
                .agreement(agreement.getAgreementId(), agreement.getId()).assetId(agreement.getAssetId()).outcome(DecisionOutcome.PERMIT)
                .reasons(List.of(new ConstraintReason("deletion", DecisionOutcome.PERMIT, reason))).digests(digests).build();
    }

    // answers whether the content was at the connector and is now gone
    private static Result<Boolean> deleteContent(LineageRecord record) {
        if (record.destination() == null) {
            return Result.success(false);
        }
        Path path;
        try {
            path = Path.of(record.destination());
        } catch (InvalidPathException e) {
            return Result.success(false);
        }
        if (!path.isAbsolute()) {
            // a destination type (an HTTP push elsewhere), not a file of this connector
            return Result.success(false);
        }
        try {
            if (Files.isDirectory(path)) {
                return Result.failure("'%s' (lineage %s) is a directory, not a received file; it was left in place".formatted(path, record.id()));
            }
            Files.deleteIfExists(path);
            return Result.success(true);
        } catch (IOException e) {
            return Result.failure("'%s' (lineage %s) cannot be deleted: %s".formatted(path, record.id(), e.getClass().getSimpleName()));
        }
    }
}
