package io.kakehashi.ai.ml;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.core.ComputeTestFixtures;
import io.kakehashi.ai.spi.FederatedParticipant;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.result.Result;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory transport to one holder: submits each round as a federated-round job to the holder's own job
 * service under the vendor's agreement with it, and brings back the update or the holder's reason — what the
 * DSP/gRPC transport will do between connectors.
 */
final class HolderParticipant implements FederatedParticipant {

    private final String id;
    private final ComputeJobService holder;
    private final ContractAgreement agreement;
    private final Map<Integer, String> jobs = new ConcurrentHashMap<>();

    HolderParticipant(String id, ComputeJobService holder, ContractAgreement agreement) {
        this.id = id;
        this.holder = holder;
        this.agreement = agreement;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletableFuture<Result<JobOutput.ModelUpdate>> train(int round, byte[] globalWeights, Map<String, String> parameters) {
        var submitted = holder.submit(ComputeTestFixtures.VENDOR, agreement, new JobDescription(JobType.FL_ROUND, parameters, globalWeights));
        if (submitted.failed()) {
            return CompletableFuture.completedFuture(Result.failure(submitted.getFailureDetail()));
        }
        var job = submitted.getContent();
        jobs.put(round, job.id());
        return holder.whenFinished(job.id()).orElseThrow().thenApply(done -> done.state() == JobState.COMPLETED
                ? Result.success((JobOutput.ModelUpdate) holder.result(done.id()).orElseThrow())
                : Result.failure(done.reason()));
    }

    @Override
    public void abandon(int round) {
        var job = jobs.get(round);
        if (job != null) {
            holder.cancel(job, "consumer");
        }
    }
}
