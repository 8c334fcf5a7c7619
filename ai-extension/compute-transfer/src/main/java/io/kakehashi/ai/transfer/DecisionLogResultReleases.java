package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.ResultReleases;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.spi.DigestedPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code compute.result} decisions in the decision log: a released result is a PERMIT entry carrying the
 * digests of the job, its model and the result; a refused one (the output guard, a failed run) a DENY entry with the
 * reason. Both name the consumer, the agreement and the asset, like the {@code compute} decision before them: the
 * agreement by the DSP agreement id both parties share, with the job's (EDC's local) agreement id beside it; an
 * agreement no longer found is named by the job's id alone. Thread-safe.
 */
public final class DecisionLogResultReleases implements ResultReleases {

    /** The constraint name the entry's reason is filed under. */
    static final String CONSTRAINT = "compute.result";

    private final DecisionRecorder recorder;
    private final Function<String, ContractAgreement> agreements;
    private final Clock clock;

    /**
     * @param agreements finds an agreement by EDC's local id (the one a job keeps), null when unknown
     */
    public DecisionLogResultReleases(DecisionRecorder recorder, Function<String, ContractAgreement> agreements, Clock clock) {
        this.recorder = recorder;
        this.agreements = agreements;
        this.clock = clock;
    }

    @Override
    public Result<Void> released(JobRecord job, String resultHash) {
        var entry = entry(job, DecisionOutcome.PERMIT, "result of %s job %s released to %s".formatted(job.type().policyName(), job.id(), job.consumerId()));
        if (DecisionEntry.isSha256Hex(resultHash)) {
            entry.digest(DigestedPolicyContext.RESULT, resultHash);
        }
        return recorder.record(entry.build()).mapEmpty();
    }

    @Override
    public Result<Void> refused(JobRecord job, String reason) {
        return recorder.record(entry(job, DecisionOutcome.DENY, reason == null ? "no result" : reason).build()).mapEmpty();
    }

    private DecisionEntry.Builder entry(JobRecord job, DecisionOutcome outcome, String reason) {
        var builder = DecisionEntry.builder()
                .time(clock.instant())
                .scope(DecisionScope.COMPUTE_RESULT)
                .counterpartyId(job.consumerId())
                .agreement(protocolId(job.agreementId()), job.agreementId())
                .assetId(job.assetId())
                .outcome(outcome)
                .reasons(List.of(new ConstraintReason(CONSTRAINT, outcome, reason)));
        if (DecisionEntry.isSha256Hex(job.descriptionHash())) {
            builder.digest(DigestedPolicyContext.JOB, job.descriptionHash());
        }
        if (DecisionEntry.isSha256Hex(job.modelHash())) {
            builder.digest(DigestedPolicyContext.MODEL, job.modelHash());
        }
        return builder;
    }

    private String protocolId(String localId) {
        var agreement = localId == null ? null : agreements.apply(localId);
        return agreement == null ? null : agreement.getAgreementId();
    }
}
