package io.kakehashi.ai.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A compute job as it is stored and shown to both sides: who asked, under which agreement, on which asset, what
 * (type, parameters, hashes of the description and the model), and where it stands (state, progress, the reason it
 * failed or was cancelled, the hash of its result). {@code admitted} says the agreement's policy admitted it in the
 * {@code compute} scope, which is what the agreement's job count counts. Immutable and thread-safe.
 */
public record JobRecord(String id, String agreementId, String assetId, String consumerId, JobType type,
                        Map<String, String> parameters, String descriptionHash, String modelHash,
                        JobState state, double progress, String reason, String resultHash, boolean admitted,
                        Instant createdAt, Instant updatedAt) {

    public JobRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(type, "type");
        parameters = Map.copyOf(Objects.requireNonNull(parameters, "parameters"));
        Objects.requireNonNull(descriptionHash, "descriptionHash");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress must be within [0, 1], not " + progress);
        }
    }

    /** A new queued job, not yet decided by the policy. */
    public static JobRecord queued(String id, String agreementId, String assetId, String consumerId, JobDescription description, Instant now) {
        return new JobRecord(id, agreementId, assetId, consumerId, description.type(), description.parameters(),
                description.descriptionHash(), description.modelHash().orElse(null), JobState.QUEUED, 0, null, null, false, now, now);
    }

    public JobRecord withState(JobState next, String why, Instant now) {
        var done = next == JobState.COMPLETED ? 1.0 : progress;
        return new JobRecord(id, agreementId, assetId, consumerId, type, parameters, descriptionHash, modelHash, next, done, why, resultHash, admitted, createdAt, now);
    }

    public JobRecord withProgress(double fraction, Instant now) {
        return new JobRecord(id, agreementId, assetId, consumerId, type, parameters, descriptionHash, modelHash, state, fraction, reason, resultHash, admitted, createdAt, now);
    }

    public JobRecord asAdmitted(Instant now) {
        return new JobRecord(id, agreementId, assetId, consumerId, type, parameters, descriptionHash, modelHash, state, progress, reason, resultHash, true, createdAt, now);
    }

    public JobRecord completed(String hashOfResult, Instant now) {
        return new JobRecord(id, agreementId, assetId, consumerId, type, parameters, descriptionHash, modelHash, JobState.COMPLETED, 1.0, null, hashOfResult, admitted, createdAt, now);
    }
}
