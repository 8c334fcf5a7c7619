package io.kakehashi.consent;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.constraints.PurposeConstraintFunction;
import io.kakehashi.policy.constraints.Purposes;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The provider's consent filter: an asset holds personal data when it names its data-subject field (asset property
 * {@value #SUBJECT_FIELD}); each use of such an asset gets only the records of subjects whose consent, at the time of
 * the use, covers it ({@link ConsentRules}). A transfer may serve every purpose the agreement grants, so each of them
 * must be consented; a compute job serves the one purpose of its type. An agreement that names no purpose cannot be
 * covered by any consent, so such a use is refused. Every use is recorded in the decision log — how many records went
 * and how many were left out for which reason, never who — and the subjects whose records went are kept per use in the
 * {@link ConsentStore}, for a later withdrawal. When the outcome cannot be recorded, the use is refused. Thread-safe.
 */
public final class ConsentNarrowing implements ConsentFilter {

    /** The asset property naming the field (CSV column, JSON member) that holds a record's data subject. */
    public static final String SUBJECT_FIELD = ConsentFilter.SUBJECT_FIELD;
    static final String SHORT_NAME = "consent";

    private final Function<String, Optional<String>> subjectFields;
    private final Function<String, ContractAgreement> agreements;
    private final Function<String, VerifiedClaims> consumerClaims;
    private final ConsentStore store;
    private final ConsentRules rules;
    private final PersonalRecords records;
    private final DecisionRecorder decisions;
    private final Clock clock;

    /**
     * @param subjectFields  the subject field an asset declares, empty for an asset without personal data (or unknown)
     * @param agreements     an agreement by this connector's id, null when unknown
     * @param consumerClaims the consumer's claims as last verified under an agreement (by its id), null when not known
     *                       since this start; then only consents to its DID or to {@code any} can cover it
     */
    public ConsentNarrowing(Function<String, Optional<String>> subjectFields, Function<String, ContractAgreement> agreements,
                            Function<String, VerifiedClaims> consumerClaims, ConsentStore store, ConsentRules rules, PersonalRecords records,
                            DecisionRecorder decisions, Clock clock) {
        this.subjectFields = subjectFields;
        this.agreements = agreements;
        this.consumerClaims = consumerClaims;
        this.store = store;
        this.rules = rules;
        this.records = records;
        this.decisions = decisions;
        this.clock = clock;
    }

    @Override
    public boolean appliesTo(String assetId) {
        return subjectFields.apply(assetId).isPresent();
    }

    @Override
    public Result<Narrowed> narrow(Use use, InputStream content, String format, OutputStream out) throws IOException {
        var field = subjectFields.apply(use.assetId());
        if (field.isEmpty()) {
            return Result.failure("asset %s holds no personal data".formatted(use.assetId()));
        }
        var agreement = agreements.apply(use.agreementId());
        if (agreement == null) {
            return Result.failure("agreement %s is unknown".formatted(use.agreementId()));
        }
        var purposes = purposesOf(use, agreement);
        if (purposes.failed()) {
            return refuse(use, agreement, purposes.getFailureDetail());
        }
        var parsed = PersonalRecords.formatOf(format);
        if (parsed.isEmpty()) {
            return refuse(use, agreement, "asset %s holds personal data, but its content (%s) is neither CSV nor JSON Lines, so consent cannot be decided per record"
                    .formatted(use.assetId(), format));
        }
        var claims = Optional.ofNullable(consumerClaims.apply(agreement.getId())).orElse(VerifiedClaims.onlyParticipant(agreement.getConsumerId()));
        var now = clock.instant();
        var bySubject = store.findByAsset(use.assetId()).stream().collect(Collectors.groupingBy(Consent::subjectId));
        var verdicts = new HashMap<String, ConsentRules.Verdict>();
        var copied = records.copy(content, out, parsed.get(), field.get(), subject -> subject == null ? ConsentRules.Verdict.NO_SUBJECT
                : verdicts.computeIfAbsent(subject, s -> rules.verdict(bySubject.getOrDefault(s, List.of()), purposes.getContent(), claims, now)));
        if (copied.failed()) {
            return refuse(use, agreement, "asset %s: %s".formatted(use.assetId(), copied.getFailureDetail()));
        }
        var tally = copied.getContent();
        var reason = "%s: %d of %d records delivered (%d data subjects) for %s; left out: %s".formatted(SHORT_NAME, tally.delivered(),
                tally.delivered() + tally.leftOut(), tally.deliveredSubjects().size(), String.join(", ", purposes.getContent()), tally.leftOutInWords());
        var recorded = decisions.record(entry(use, agreement, DecisionOutcome.PERMIT, reason));
        if (recorded.failed()) {
            return Result.failure("%s: the outcome could not be recorded, so nothing is delivered".formatted(SHORT_NAME));
        }
        if (!tally.deliveredSubjects().isEmpty()) {
            store.delivered(ConsentStore.Delivery.of(agreement.getId(), agreement.getConsumerId(), use.assetId(), use.useId(),
                    use.isCompute() ? "compute" : "transfer", tally.deliveredSubjects(), now));
        }
        return Result.success(new Narrowed(tally.delivered(), tally.leftOut()));
    }

    /**
     * The purposes a use may serve: every purpose the agreement grants for a transfer, the job type's for a compute
     * job; a failure when the agreement grants none.
     */
    public static Result<Set<String>> purposesOf(Use use, ContractAgreement agreement) {
        var granted = PurposeConstraintFunction.grantedBy(agreement.getPolicy());
        if (granted.isEmpty() || granted.get().isEmpty()) {
            return Result.failure(noPurpose(use.assetId(), agreement.getId()));
        }
        if (!use.isCompute()) {
            return Result.success(granted.get());
        }
        var purpose = Purposes.ofJobType(use.jobType());
        if (purpose.isEmpty() || !granted.get().contains(purpose.get())) {
            return Result.failure("%s: a %s job serves %s, which agreement %s does not grant".formatted(SHORT_NAME, use.jobType(),
                    purpose.orElse("no known purpose"), agreement.getId()));
        }
        return Result.success(Set.of(purpose.get()));
    }

    /** Why a personal-data asset is not used under an agreement without a purpose. */
    static String noPurpose(String assetId, String agreementId) {
        return "%s: asset %s holds personal data and agreement %s names no purpose (kakehashi:purpose), which a data subject's consent could cover; nothing is delivered"
                .formatted(SHORT_NAME, assetId, agreementId);
    }

    private Result<Narrowed> refuse(Use use, ContractAgreement agreement, String reason) {
        var text = reason.startsWith(SHORT_NAME + ":") ? reason : SHORT_NAME + ": " + reason;
        decisions.record(entry(use, agreement, DecisionOutcome.DENY, text));
        return Result.failure(text);
    }

    private DecisionEntry entry(Use use, ContractAgreement agreement, DecisionOutcome outcome, String reason) {
        var builder = DecisionEntry.builder().time(clock.instant()).scope(use.isCompute() ? DecisionScope.COMPUTE : DecisionScope.TRANSFER_PROCESS)
                .counterpartyId(agreement.getConsumerId()).agreement(agreement.getAgreementId(), agreement.getId()).assetId(use.assetId())
                .outcome(outcome).reasons(List.of(new ConstraintReason(SHORT_NAME, outcome, use.isCompute() ? reason + " (job " + use.useId() + ")" : reason)));
        if (!use.isCompute()) {
            builder.transferId(use.useId());
        }
        return builder.build();
    }
}
