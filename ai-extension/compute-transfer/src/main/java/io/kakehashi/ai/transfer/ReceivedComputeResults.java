package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobType;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.lineage.spi.ReceivedContents;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;

import java.util.Optional;

/**
 * Where a remote compute job left what this connector received, for the consumer's lineage (decision 0034): a
 * {@code KakehashiCompute-PUSH} process's id is its job's id, and the result document arrived in the job's result
 * file. A training job's or a federated round's document carries a model (its weights), so it is a
 * {@link LineageKind#MODEL}; an SQL or evaluation job's is a {@link LineageKind#COMPUTE_RESULT}. Thread-safe.
 */
final class ReceivedComputeResults implements ReceivedContents.Locator {

    private final RemoteComputeJobs jobs;

    ReceivedComputeResults(RemoteComputeJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public Optional<ReceivedContents.Received> locate(TransferProcess process) {
        if (!ComputeTransferAddresses.PUSH.equals(process.getTransferType())) {
            return Optional.empty();
        }
        return jobs.find(process.getId()).map(job -> new ReceivedContents.Received(kindOf(job.type()), jobs.resultFileOf(job.id())));
    }

    static LineageKind kindOf(JobType type) {
        return type == JobType.TRAINING || type == JobType.FL_ROUND ? LineageKind.MODEL : LineageKind.COMPUTE_RESULT;
    }
}
