package io.kakehashi.ai.models;

import java.time.Instant;

/**
 * A holder's run report the vendor's connector verified and kept. Immutable and thread-safe.
 *
 * @param agreementId      the agreement's DSP id
 * @param localAgreementId the vendor's own id of it
 * @param holderId         who ran the model
 * @param run              the run's number under the agreement
 * @param runId            the holder's id of the run
 * @param time             when the holder admitted it
 * @param modelSha256      the digest of the model that ran
 * @param receivedAt       when the report was kept
 * @param beyondLimit      whether the run is past the agreement's {@code ai.inferenceRuns} limit — the holder's
 *                         connector should have refused it, so the report is kept as evidence and the decision log
 *                         holds a DENY for it
 * @param report           the signed report itself
 */
public record ReceivedRunReport(String agreementId, String localAgreementId, String holderId, long run, String runId, Instant time,
                                String modelSha256, Instant receivedAt, boolean beyondLimit, String report) {
}
