package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.FederatedParticipant;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import org.eclipse.edc.spi.result.Result;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A data holder in a federated training, reached over the compute transport: each round is an {@code fl-round} job
 * sent under the vendor's agreement with the holder (a {@code KakehashiCompute-PUSH} transfer process), decided by
 * the holder's policy and ε budget, and its update comes back in the result document. A refusal or failure is the
 * holder's reason; an abandoned round's job is cancelled. Thread-safe.
 */
public final class TransportFederatedParticipant implements FederatedParticipant {

    private final RemoteComputeJobs jobs;
    private final String agreementId;
    private final String counterPartyAddress;
    private final String counterPartyId;
    private final String name;
    private final ConcurrentMap<Integer, String> jobsByRound = new ConcurrentHashMap<>();

    /**
     * @param name how reports name this holder (its id and agreement, so two agreements with one holder differ)
     */
    public TransportFederatedParticipant(RemoteComputeJobs jobs, String agreementId, String counterPartyAddress, String counterPartyId,
                                         String name) {
        this.jobs = jobs;
        this.agreementId = agreementId;
        this.counterPartyAddress = counterPartyAddress;
        this.counterPartyId = counterPartyId;
        this.name = name;
    }

    @Override
    public String id() {
        return name;
    }

    @Override
    public CompletableFuture<Result<JobOutput.ModelUpdate>> train(int round, byte[] globalWeights, Map<String, String> parameters) {
        var job = new JobDescription(JobType.FL_ROUND, parameters, globalWeights);
        var submitted = jobs.submit(new RemoteComputeJobs.Submission(agreementId, counterPartyAddress, counterPartyId,
                RemoteComputeJobs.DEFAULT_PROTOCOL, job));
        if (submitted.failed()) {
            return CompletableFuture.completedFuture(Result.failure(submitted.getFailureDetail()));
        }
        var id = submitted.getContent().id();
        jobsByRound.put(round, id);
        return jobs.whenFinished(id).orElseThrow().thenApply(ended -> {
            if (ended.state() != JobState.COMPLETED) {
                return Result.<JobOutput.ModelUpdate>failure(ended.reason() == null ? "its job ended " + ended.state() : ended.reason());
            }
            var document = jobs.resultDocument(id);
            if (document.failed()) {
                return Result.<JobOutput.ModelUpdate>failure(document.getFailureDetail());
            }
            var parsed = ResultDocument.parse(document.getContent());
            return parsed.failed() ? Result.<JobOutput.ModelUpdate>failure(parsed.getFailureDetail()) : parsed.getContent().modelUpdate();
        });
    }

    @Override
    public void abandon(int round) {
        var id = jobsByRound.get(round);
        if (id != null) {
            jobs.find(id).filter(job -> !job.state().isFinal()).ifPresent(job -> jobs.cancel(id));
        }
    }

    /** The consumer's job id of each round this holder was asked for. */
    public Map<Integer, String> jobsByRound() {
        return Map.copyOf(jobsByRound);
    }
}
