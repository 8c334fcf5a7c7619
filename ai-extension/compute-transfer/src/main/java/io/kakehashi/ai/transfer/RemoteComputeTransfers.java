package io.kakehashi.ai.transfer;

import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessListener;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessStartedData;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;

/**
 * Moves the consumer's compute jobs with their transfer processes ({@value ComputeTransferAddresses#PUSH}, this
 * connector the consumer). A suspension cannot pause a job — the provider's data plane cancels it — so a suspended
 * process is terminated and its job ends with the provider's document or as failed. Thread-safe.
 */
public final class RemoteComputeTransfers implements TransferProcessListener {

    private final RemoteComputeJobs jobs;
    private final java.util.function.Consumer<String> terminate;

    /**
     * @param terminate terminates a transfer process by id (the consumer's {@code TransferProcessService})
     */
    public RemoteComputeTransfers(RemoteComputeJobs jobs, java.util.function.Consumer<String> terminate) {
        this.jobs = jobs;
        this.terminate = terminate;
    }

    @Override
    public void started(TransferProcess process, TransferProcessStartedData additionalData) {
        if (ours(process)) {
            jobs.started(process.getId());
        }
    }

    @Override
    public void completed(TransferProcess process) {
        if (ours(process)) {
            jobs.completed(process.getId());
        }
    }

    @Override
    public void terminated(TransferProcess process) {
        if (ours(process)) {
            jobs.ended(process.getId(), process.getErrorDetail());
        }
    }

    @Override
    public void suspended(TransferProcess process) {
        if (ours(process)) {
            terminate.accept(process.getId());
        }
    }

    private static boolean ours(TransferProcess process) {
        return process.getType() == TransferProcess.Type.CONSUMER && ComputeTransferAddresses.PUSH.equals(process.getTransferType());
    }
}
