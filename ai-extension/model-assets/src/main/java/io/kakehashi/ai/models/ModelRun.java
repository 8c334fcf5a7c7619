package io.kakehashi.ai.models;

import java.time.Instant;
import java.util.Objects;

/**
 * One run of a sealed model at the holder, as the holder's connector keeps it. The holder's asset and the predictions
 * file stay on the holder's side; the vendor's report carries only the run's number, id, time, outcome and the
 * model's digest. Immutable and thread-safe.
 *
 * @param localAgreementId this connector's id of the model's agreement
 * @param run              the run's number under the agreement, from 1, without gaps
 * @param runId            a random id of the run
 * @param time             when the run was admitted
 * @param assetId          the holder's asset it ran on
 * @param modelSha256      the digest of the model that ran
 * @param state            {@code ADMITTED} while it runs, then {@code COMPLETED} or {@code FAILED}
 * @param rows             the rows it predicted (0 unless completed)
 * @param predictions      the holder-side file of its predictions (null unless completed)
 * @param reason           why it failed (null otherwise)
 * @param reported         whether the vendor's connector took the report of it
 */
public record ModelRun(String localAgreementId, long run, String runId, Instant time, String assetId, String modelSha256, State state,
                       long rows, String predictions, String reason, boolean reported) {

    public enum State { ADMITTED, COMPLETED, FAILED }

    public ModelRun {
        Objects.requireNonNull(localAgreementId, "localAgreementId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(state, "state");
        if (run < 1) {
            throw new IllegalArgumentException("a run's number starts at 1");
        }
    }

    ModelRun completed(long rows, String predictions) {
        return new ModelRun(localAgreementId, run, runId, time, assetId, modelSha256, State.COMPLETED, rows, predictions, null, reported);
    }

    ModelRun failed(String reason) {
        return new ModelRun(localAgreementId, run, runId, time, assetId, modelSha256, State.FAILED, 0, null, reason, reported);
    }

    ModelRun reportedToVendor() {
        return new ModelRun(localAgreementId, run, runId, time, assetId, modelSha256, state, rows, predictions, reason, true);
    }
}
