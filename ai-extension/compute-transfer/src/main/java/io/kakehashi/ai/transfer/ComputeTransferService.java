package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.transfer.spi.BulkPushes;
import io.kakehashi.transfer.spi.FlowStarts;
import io.kakehashi.transfer.spi.OutboundPush;
import io.kakehashi.transfer.spi.PushOutcome;
import io.kakehashi.transfer.spi.PushRetry;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSink;
import org.eclipse.edc.connector.dataplane.spi.pipeline.StreamResult;
import org.eclipse.edc.connector.dataplane.spi.pipeline.TransferService;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code KakehashiCompute-PUSH} on the provider's data plane. EDC's data-plane manager hands it each started flow
 * whose destination carries a compute job; it submits the job to the {@link ComputeJobService} as the agreement's
 * consumer (the agent the control plane verified for the transfer, see {@link TransferAgents}), so the job is
 * decided in the {@code compute} scope and recorded; it follows the job and pushes a {@link ResultDocument} over
 * gRPC to the consumer's sink. A completed job whose result arrived completes the flow; a refused, failed or
 * cancelled job fails it with the job's reason (and the document tells the consumer that reason). Terminate or
 * suspend from the control plane cancel the job and stop a running push. While the job runs, and when the consumer
 * sent a progress sink, its state and progress go there as {@link ProgressReport}s whenever they change (looked at
 * every {@code progressInterval}). A job has its flow's id: when EDC starts a flow anew after this connector
 * restarted, its job is taken up ({@link ComputeJobService#resume}) rather than submitted again, and its result or the
 * reason it failed is pushed as for any job. A start repeated by the control plane joins the flow's run or gets its end
 * ({@link FlowStarts}). Thread-safe.
 */
public final class ComputeTransferService implements TransferService {

    private final ComputeJobService jobs;
    /** The agreement of a flow, by process id (EDC's start message to a transfer service carries none). */
    private final Function<String, ContractAgreement> agreements;
    private final TransferAgents agents;
    private final BulkPushes pushes;
    private final PushRetry retry;
    private final ExecutorService executor;
    private final ScheduledExecutorService reporter;
    private final Duration progressInterval;
    private final Monitor monitor;
    private final Map<String, Flow> flows = new ConcurrentHashMap<>();
    private final FlowStarts starts = new FlowStarts();

    public ComputeTransferService(ComputeJobService jobs, Function<String, ContractAgreement> agreements, TransferAgents agents,
                                  BulkPushes pushes, PushRetry retry, ExecutorService executor,
                                  ScheduledExecutorService reporter, Duration progressInterval, Monitor monitor) {
        this.jobs = jobs;
        this.agreements = agreements;
        this.agents = agents;
        this.pushes = pushes;
        this.retry = retry;
        this.executor = executor;
        this.reporter = reporter;
        this.progressInterval = progressInterval;
        this.monitor = monitor;
    }

    @Override
    public boolean canHandle(DataFlowStartMessage request) {
        return request.getDestinationDataAddress() != null
                && ComputeTransferAddresses.TYPE.equals(request.getDestinationDataAddress().getType());
    }

    @Override
    public Result<Void> validate(DataFlowStartMessage request) {
        return ComputeTransferAddresses.parse(request.getDestinationDataAddress()).mapEmpty();
    }

    @Override
    public CompletableFuture<StreamResult<Object>> transfer(DataFlowStartMessage request) {
        // a start the control plane repeats joins the flow it started before: a second follower of the same job
        // would race the first for its one result and tell the consumer it is no longer kept (FlowStarts)
        return starts.start(request.getProcessId(), () -> run(request));
    }

    private CompletableFuture<StreamResult<Object>> run(DataFlowStartMessage request) {
        var destination = ComputeTransferAddresses.parse(request.getDestinationDataAddress());
        if (destination.failed()) {
            // no sink to tell: the flow's failure is all there is
            return CompletableFuture.completedFuture(StreamResult.error(destination.getFailureDetail()));
        }
        var flow = new Flow(request.getProcessId(), destination.getContent());
        flows.put(flow.processId, flow);
        var agreement = agreements.apply(request.getProcessId());
        if (agreement == null) {
            return refuse(flow, "transfer %s has no agreement this connector knows".formatted(request.getProcessId()));
        }
        ServiceResult<JobRecord> submitted;
        if (jobs.find(flow.processId).isPresent()) {
            // the flow is started anew (this connector restarted while it ran): its job was decided when it was
            // submitted, with the consumer's verified agent, and is taken up as it stands (run again or failed)
            submitted = jobs.resume(agreement, flow.processId, flow.destination.job());
        } else {
            var agent = agents.agentFor(agreement.getId());
            if (agent.isEmpty()) {
                return refuse(flow, "the consumer of agreement %s has not been verified for a transfer since this connector started; request the job again"
                        .formatted(agreement.getId()));
            }
            // the job has the flow's id, so that a flow started anew after a restart finds its job
            submitted = jobs.submit(agent.get(), agreement, flow.destination.job(), flow.processId);
        }
        if (submitted.failed()) {
            return refuse(flow, submitted.getFailureDetail());
        }
        flow.jobId = submitted.getContent().id();
        if (flow.destination.reportsProgress()) {
            flow.reports = reporter.scheduleWithFixedDelay(() -> report(flow), 0, progressInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        jobs.whenFinished(flow.jobId).orElseThrow()
                .whenCompleteAsync((job, failure) -> end(flow, job), executor);
        return flow.result;
    }

    @Override
    public CompletableFuture<StreamResult<Object>> transfer(DataFlowStartMessage request, DataSink sink) {
        return CompletableFuture.completedFuture(StreamResult.error("%s pushes to its own gRPC sink".formatted(ComputeTransferAddresses.PUSH)));
    }

    @Override
    public StreamResult<Void> terminate(DataFlow dataFlow) {
        var known = starts.stopped(dataFlow.getId());
        var flow = flows.remove(dataFlow.getId());
        if (flow == null) {
            // EDC terminates a flow after it failed (a refused job): one that ended here has nothing left to stop
            return known ? StreamResult.success() : StreamResult.notFound();
        }
        // suspend and terminate look alike here; a job cannot pause, so both cancel it
        flow.stoppedByControlPlane = true;
        flow.stopReports();
        if (flow.jobId != null) {
            jobs.cancel(flow.jobId, "the transfer's termination");
        }
        Optional.ofNullable(flow.push).ifPresent(push -> push.stop("transfer %s was stopped".formatted(flow.processId)));
        return StreamResult.success();
    }

    @Override
    public void closeAll() {
        flows.values().forEach(flow -> {
            flow.stoppedByControlPlane = true;
            flow.stopReports();
            if (flow.jobId != null) {
                jobs.cancel(flow.jobId, "provider (shutting down)");
            }
        });
        flows.clear();
    }

    /** The provider's job id of a running flow, if it has one (for tests and the management API). */
    public Optional<String> jobOf(String processId) {
        return Optional.ofNullable(flows.get(processId)).map(flow -> flow.jobId);
    }

    private CompletableFuture<StreamResult<Object>> refuse(Flow flow, String reason) {
        executor.execute(() -> deliver(flow, ResultDocument.ended(null, JobState.FAILED, reason), false, reason));
        return flow.result;
    }

    /**
     * Pushes the job's state and progress to the consumer's progress sink when they changed since the last report;
     * once the job has ended the result document says the rest. A report that cannot be delivered is skipped (the
     * next one replaces it).
     */
    private void report(Flow flow) {
        if (flow.stoppedByControlPlane || flow.jobId == null) {
            return;
        }
        var job = jobs.find(flow.jobId);
        if (job.isEmpty() || job.get().state().isFinal()) {
            flow.stopReports();
            return;
        }
        var report = new ProgressReport(job.get().id(), job.get().state(), job.get().progress());
        if (report.equals(flow.lastReport)) {
            return;
        }
        var push = pushes.push(flow.destination.endpoint(), flow.destination.progressTransferId(),
                flow.destination::progressToken, new BytesBulkSource(report.write()), flow.destination.progressTransferId(),
                retry.withMaxAttempts(1));
        var outcome = push.run();
        if (outcome.succeeded()) {
            flow.lastReport = report;
        } else {
            monitor.debug("a progress report of compute transfer %s was not delivered: %s".formatted(flow.processId, outcome.describe()));
        }
    }

    private void end(Flow flow, JobRecord job) {
        flow.stopReports();
        if (flow.stoppedByControlPlane) {
            return;
        }
        if (job.state() == JobState.COMPLETED) {
            var output = jobs.takeResult(job.id());
            if (output.isEmpty()) {
                var reason = ("the result of job %s is no longer kept by the provider (more results waited than it keeps, or it restarted"
                        + " before the result was delivered); request the job again").formatted(job.id());
                deliver(flow, ResultDocument.ended(job.id(), JobState.FAILED, reason), false, reason);
                return;
            }
            deliver(flow, ResultDocument.completed(job.id(), job.resultHash(), output.get()), true, null);
            return;
        }
        var reason = job.reason() == null ? "job %s ended %s".formatted(job.id(), job.state()) : job.reason();
        deliver(flow, ResultDocument.ended(job.id(), job.state(), reason), false, reason);
    }

    private void deliver(Flow flow, byte[] document, boolean completed, String reason) {
        var push = pushes.push(flow.destination.endpoint(), flow.destination.sinkTransferId(), flow.destination::token,
                new BytesBulkSource(document), flow.processId, retry);
        flow.push = push;
        PushOutcome outcome = flow.stoppedByControlPlane ? null : push.run();
        flows.remove(flow.processId, flow);
        if (flow.stoppedByControlPlane) {
            // the control plane set the process's state itself; an answer could mark the flow FAILED first
            return;
        }
        if (!outcome.succeeded()) {
            monitor.warning("the result of compute transfer %s could not be delivered: %s".formatted(flow.processId, outcome.describe()));
            flow.result.complete(StreamResult.error("the result could not be delivered to the consumer: " + outcome.describe()));
            return;
        }
        flow.result.complete(completed ? StreamResult.success() : StreamResult.error(reason));
    }

    /** One flow: where its result goes, its job, its push, and whether the control plane stopped it. */
    private static final class Flow {
        private final String processId;
        private final ComputeTransferAddresses.Destination destination;
        private final CompletableFuture<StreamResult<Object>> result = new CompletableFuture<>();
        private volatile String jobId;
        private volatile OutboundPush push;
        private volatile boolean stoppedByControlPlane;
        private volatile ScheduledFuture<?> reports;
        private volatile ProgressReport lastReport;

        private void stopReports() {
            Optional.ofNullable(reports).ifPresent(future -> future.cancel(false));
        }

        private Flow(String processId, ComputeTransferAddresses.Destination destination) {
            this.processId = processId;
            this.destination = destination;
        }
    }
}
