package io.kakehashi.ai.models;

import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.policy.constraints.ai.InferenceRunsConstraintFunction;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.ServiceResult;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The vendor's side of run reports: checks a holder's signed report and keeps it. A report is kept only when it reads
 * ({@link RunReports}), names an agreement under which this connector is the provider and the signer the consumer,
 * for that agreement's model asset, verifies with the key the holder's DID document publishes, and is the next run —
 * run n + 1 after n kept, with the model digest the earlier reports gave. The same report again (the same payload,
 * signed again or not) is answered as kept;
 * a report that skips a run, repeats a number with other content, or gives another model digest is refused (conflict)
 * and the refusal is a DENY in the decision log ({@code model.run.report}), as evidence of a holder's connector that
 * does not count as it should. A run past the agreement's {@code ai.inferenceRuns} limit is kept (it happened) and
 * flagged, with a DENY entry. Every kept report is a PERMIT entry. Thread-safe: reports are checked concurrently and
 * taken into the sequence one at a time per agreement ({@link ReceivedRunReports#next}), across replicas too.
 */
public final class RunReportReceiver {

    private static final String CONSTRAINT = "modelRunReport";

    private final String participantId;
    private final Function<String, ContractAgreement> agreements;
    private final SignerKeys keys;
    private final ReceivedRunReports reports;
    private final DecisionRecorder recorder;
    private final Clock clock;

    /**
     * @param agreements an agreement by the protocol's (or this connector's) id, null when there is none
     * @param recorder   the decision log; null in a connector without one
     */
    public RunReportReceiver(String participantId, Function<String, ContractAgreement> agreements, SignerKeys keys, ReceivedRunReports reports,
                             DecisionRecorder recorder, Clock clock) {
        this.participantId = participantId;
        this.agreements = agreements;
        this.keys = keys;
        this.reports = reports;
        this.recorder = recorder;
        this.clock = clock;
    }

    /**
     * Failures: bad request (not a report, not for an agreement of this connector as provider), unauthorized (the
     * signer or signature), conflict (a skipped or repeated run, another model digest), unexpected (it could not be
     * kept or logged).
     */
    public ServiceResult<ReceivedRunReport> receive(String compact) {
        var read = RunReports.read(compact);
        if (read.failed()) {
            return ServiceResult.badRequest(read.getFailureDetail());
        }
        var report = read.getContent();
        var agreement = agreements.apply(report.text("agreementId"));
        if (agreement == null || !participantId.equals(agreement.getProviderId()) || !participantId.equals(report.text("vendorId"))) {
            return ServiceResult.badRequest("agreement '%s' is not an agreement under which this connector provides a model".formatted(report.text("agreementId")));
        }
        if (!agreement.getConsumerId().equals(report.text("holderId")) || !agreement.getAssetId().equals(report.text("assetId"))) {
            return ServiceResult.unauthorized("the report's holder or model is not the agreement's consumer or asset");
        }
        var key = keys.find(agreement.getConsumerId(), report.keyId());
        if (key.failed()) {
            return ServiceResult.unauthorized(key.getFailureDetail());
        }
        if (!RunReports.verifies(report, key.getContent())) {
            return ServiceResult.unauthorized("the report's signature does not verify with the holder's key '%s'".formatted(report.keyId()));
        }
        // the key is found (perhaps over the network) before; the sequence is decided one report at a time per agreement,
        // in every replica that shares the reports
        var dspId = agreement.getAgreementId() == null ? agreement.getId() : agreement.getAgreementId();
        return reports.next(dspId, kept -> keep(agreement, dspId, report, compact, kept));
    }

    private ServiceResult<ReceivedRunReport> keep(ContractAgreement agreement, String dspId, RunReports.Read report, String compact,
                                                  List<ReceivedRunReport> kept) {
        var run = report.run();
        if (run <= kept.size()) {
            var earlier = kept.get((int) run - 1);
            // an ES256 signature differs each time it is made: the same report signed again is the same report
            var again = RunReports.read(earlier.report());
            if (again.succeeded() && again.getContent().payload().equals(report.payload())) {
                return ServiceResult.success(earlier);
            }
            return refuse(agreement, report, "run %d of agreement %s was reported already, with other content: a replayed or forged count"
                    .formatted(run, dspId));
        }
        if (run != kept.size() + 1) {
            return refuse(agreement, report, "run %d skips run%s %d%s: %d run%s reported so far under agreement %s".formatted(run,
                    run == kept.size() + 2 ? "" : "s", kept.size() + 1, run == kept.size() + 2 ? "" : "–" + (run - 1),
                    kept.size(), kept.size() == 1 ? "" : "s", dspId));
        }
        if (!kept.isEmpty() && !kept.get(0).modelSha256().equals(report.text("modelSha256"))) {
            return refuse(agreement, report, "run %d names model digest %s; the earlier runs ran %s".formatted(run, report.text("modelSha256"),
                    kept.get(0).modelSha256()));
        }
        var limit = InferenceRunsConstraintFunction.limit(agreement.getPolicy());
        var beyond = limit.isPresent() && run > limit.getAsLong();
        var received = new ReceivedRunReport(dspId, agreement.getId(), agreement.getConsumerId(), run, report.text("runId"), report.time(),
                report.text("modelSha256"), clock.instant(), beyond, compact);
        var reason = beyond
                ? "run %d of the model reported by the holder, beyond the %d the agreement allows (ai.inferenceRuns); kept as evidence".formatted(run, limit.getAsLong())
                : "run %d of the model reported by the holder%s; signature verified".formatted(run, limit.isPresent() ? " (of %d allowed)".formatted(limit.getAsLong()) : "");
        var logged = log(agreement, report, beyond ? DecisionOutcome.DENY : DecisionOutcome.PERMIT, reason);
        if (!logged) {
            return ServiceResult.unexpected(DecisionRecorder.NOT_RECORDED);
        }
        // the next run: the reports keep it before the next decision
        return ServiceResult.success(received);
    }

    private ServiceResult<ReceivedRunReport> refuse(ContractAgreement agreement, RunReports.Read report, String reason) {
        log(agreement, report, DecisionOutcome.DENY, reason);
        return ServiceResult.conflict(reason);
    }

    private boolean log(ContractAgreement agreement, RunReports.Read report, DecisionOutcome outcome, String reason) {
        if (recorder == null) {
            return true;
        }
        var entry = DecisionEntry.builder().time(clock.instant()).scope(DecisionScope.MODEL_RUN_REPORT).counterpartyId(agreement.getConsumerId())
                .agreement(agreement.getAgreementId(), agreement.getId()).assetId(agreement.getAssetId()).outcome(outcome)
                .digest("model", report.text("modelSha256"))
                .reasons(List.of(new ConstraintReason(CONSTRAINT, outcome, reason))).build();
        return recorder.record(entry).succeeded();
    }
}
