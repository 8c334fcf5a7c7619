package io.kakehashi.ai.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A compute job as the consumer's connector keeps it: a job this connector asked a provider to run under an
 * agreement, carried as a transfer process whose id is the job's id. It says what was asked (type, parameters,
 * hashes of the description and the model), of whom (the provider's id and protocol address) and where it stands
 * (state, progress, the reason it failed or was cancelled, the provider's job id, the provider's hash of the
 * result and the SHA-256 of the result document received). Immutable and thread-safe.
 */
public record RemoteJob(String id, String agreementId, String assetId, String providerId, String counterPartyAddress,
                        JobType type, Map<String, String> parameters, String descriptionHash, String modelHash,
                        JobState state, double progress, String reason, String providerJobId, String resultHash,
                        String resultSha256, Instant createdAt, Instant updatedAt) {

    public RemoteJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(assetId, "assetId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(counterPartyAddress, "counterPartyAddress");
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

    /** A new job, about to be sent to the provider. */
    public static RemoteJob queued(String id, String agreementId, String assetId, String providerId, String counterPartyAddress,
                                   JobDescription description, Instant now) {
        return new RemoteJob(id, agreementId, assetId, providerId, counterPartyAddress, description.type(), description.parameters(),
                description.descriptionHash(), description.modelHash().orElse(null), JobState.QUEUED, 0, null, null, null, null, now, now);
    }

    public RemoteJob withState(JobState next, String why, Instant now) {
        var done = next == JobState.COMPLETED ? 1.0 : progress;
        return new RemoteJob(id, agreementId, assetId, providerId, counterPartyAddress, type, parameters, descriptionHash, modelHash,
                next, done, why, providerJobId, resultHash, resultSha256, createdAt, now);
    }

    /** The job as the provider reported it while it runs: its progress (never backwards) and the provider's job id. */
    public RemoteJob progressed(double reported, String providerJob, Instant now) {
        return new RemoteJob(id, agreementId, assetId, providerId, counterPartyAddress, type, parameters, descriptionHash, modelHash,
                state, Math.max(progress, reported), reason, providerJob == null ? providerJobId : providerJob, resultHash, resultSha256,
                createdAt, now);
    }

    /** The job as the provider reported it at its end. */
    public RemoteJob ended(JobState next, String why, String providerJob, String hashOfResult, String sha256OfDocument, Instant now) {
        var done = next == JobState.COMPLETED ? 1.0 : progress;
        return new RemoteJob(id, agreementId, assetId, providerId, counterPartyAddress, type, parameters, descriptionHash, modelHash,
                next, done, why, providerJob, hashOfResult, sha256OfDocument, createdAt, now);
    }
}
