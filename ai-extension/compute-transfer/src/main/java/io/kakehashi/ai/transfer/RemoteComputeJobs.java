package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.core.JobLifecycle;
import io.kakehashi.ai.extension.Cancellation;
import io.kakehashi.ai.extension.ComputeJsonLd;
import io.kakehashi.ai.extension.ComputeRequestShape;
import io.kakehashi.ai.spi.InMemoryJsonMapper;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobDescriptionJson;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.RemoteJob;
import io.kakehashi.ai.spi.RemoteJobStore;
import io.kakehashi.ai.spi.Sha256;
import io.kakehashi.transfer.spi.PushSinks;
import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.result.StoreResult;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static io.kakehashi.ai.extension.ComputeJobsExtension.MAX_MODEL_BYTES;

/**
 * The consumer's side of compute jobs: a job submitted here goes to the provider as a transfer process of the type
 * {@value ComputeTransferAddresses#PUSH} (its id is the job's id) with the job in the destination and a sink of this
 * connector's gRPC endpoint for the result; the process's events move the job ({@code started} → RUNNING,
 * {@code completed} → COMPLETED with the result document read from the sink's file, {@code terminated} → FAILED or
 * CANCELLED with the reason the provider's document gives). While the job runs the provider pushes its state and
 * progress to a second sink ({@link ProgressReport}s), taken in when the job is read. Every move of a job's state goes
 * through one {@link JobLifecycle}, which checks it against {@link JobState#TRANSITIONS}. Thread-safe.
 */
public final class RemoteComputeJobs {

    /** The DSP version jobs are requested with unless the submission names one. */
    public static final String DEFAULT_PROTOCOL = "dataspace-protocol-http:2025-1";
    private static final ObjectMapper MAPPER = InMemoryJsonMapper.create();
    private static final Set<String> MEMBERS = Set.of("agreementId", "counterPartyAddress", "counterPartyId", "protocol", "job");

    private final RemoteJobStore store;
    private final Function<String, ContractAgreement> agreements;
    private final AgreementStatus agreementStatus;
    private final Supplier<PushSinks> sinks;
    private final Supplier<TransferProcessService> processes;
    private final SingleParticipantContextSupplier participantContext;
    private final String ownParticipantId;
    private final Path resultDir;
    private final Clock clock;
    private final Monitor monitor;
    private final JobLifecycle<RemoteJob> lifecycle;

    public RemoteComputeJobs(RemoteJobStore store, Function<String, ContractAgreement> agreements, AgreementStatus agreementStatus,
                             Supplier<PushSinks> sinks,
                             Supplier<TransferProcessService> processes, SingleParticipantContextSupplier participantContext,
                             String ownParticipantId, Path resultDir, Clock clock, Monitor monitor) {
        this.store = store;
        this.agreements = agreements;
        this.agreementStatus = agreementStatus;
        this.sinks = sinks;
        this.processes = processes;
        this.participantContext = participantContext;
        this.ownParticipantId = ownParticipantId;
        this.resultDir = resultDir;
        this.clock = clock;
        this.monitor = monitor;
        this.lifecycle = JobLifecycle.of(store, job -> closeProgressSink(job.id()), monitor);
    }

    /** A job to send: under which agreement, to which provider, what. */
    public record Submission(String agreementId, String counterPartyAddress, String counterPartyId, String protocol, JobDescription job) { }

    /**
     * A submission's JSON-LD form (type {@code kh:RemoteComputeJobRequest}), read into the plain form's members and
     * then by {@link #parseSubmission}.
     */
    public static final ComputeRequestShape SUBMISSION_SHAPE = new ComputeRequestShape(ComputeJsonLd.REMOTE_JOB_REQUEST, true,
            Set.of("agreementId", "counterPartyAddress", "job"), Set.of("counterPartyId", "protocol"), Set.of(),
            Map.of("job", new ComputeRequestShape(ComputeJsonLd.JOB_DESCRIPTION, false, Set.of("type"), Set.of("parameters", "model"),
                    Set.of(), Map.of())));

    /**
     * Reads a submission as the management API receives it:
     * {@code {"agreementId", "counterPartyAddress", "counterPartyId"?, "protocol"?, "job": {"type", "parameters", "model"?}}}.
     * Anything malformed is a failure naming the member; so is a model larger than {@code maxModelBytes} (this
     * connector's {@code kakehashi.ai.evaluation.max-model-bytes}), or a description too long for a connector with that
     * limit to read (see {@link JobDescriptionJson#maxChars}).
     */
    public static Result<Submission> parseSubmission(String body, int maxModelBytes) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Result.failure("the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            return Result.failure("the body must be a JSON object with agreementId, counterPartyAddress and job");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            var name = names.next();
            if (!MEMBERS.contains(name)) {
                return Result.failure("unknown member '%s' (known: agreementId, counterPartyAddress, counterPartyId, protocol, job)".formatted(name));
            }
        }
        var agreementId = root.path("agreementId");
        if (!agreementId.isTextual() || agreementId.asText().isBlank()) {
            return Result.failure("agreementId: name the agreement the job runs under");
        }
        var address = root.path("counterPartyAddress");
        if (!address.isTextual() || !isHttpUrl(address.asText())) {
            return Result.failure("counterPartyAddress: the provider's DSP address, an http(s) URL");
        }
        var counterPartyId = root.path("counterPartyId");
        if (!counterPartyId.isMissingNode() && !counterPartyId.isNull() && !counterPartyId.isTextual()) {
            return Result.failure("counterPartyId: must be a string");
        }
        var protocol = root.path("protocol");
        if (!protocol.isMissingNode() && !protocol.isNull() && (!protocol.isTextual() || protocol.asText().isBlank())) {
            return Result.failure("protocol: must be a DSP protocol name such as " + DEFAULT_PROTOCOL);
        }
        var job = root.path("job");
        if (!job.isObject()) {
            return Result.failure("job: must be an object with type, parameters and (for evaluation and fl-round) a base64 model");
        }
        var description = JobDescriptionJson.parse(job.toString());
        if (description.failed()) {
            return Result.failure(description.getFailureDetail());
        }
        var complete = needs(description.getContent());
        if (complete.failed()) {
            return Result.failure(complete.getFailureDetail());
        }
        var modelBytes = description.getContent().model().map(m -> m.length).orElse(0);
        if (modelBytes > maxModelBytes) {
            return Result.failure("job: the model is %d bytes, more than %s (%d)".formatted(modelBytes, MAX_MODEL_BYTES, maxModelBytes));
        }
        var written = JobDescriptionJson.write(description.getContent()).length();
        if (written > JobDescriptionJson.maxChars(maxModelBytes)) {
            return Result.failure("job: its description is %d characters; with %s (%d) it may be %d, the model's base64 and %d for the rest"
                    .formatted(written, MAX_MODEL_BYTES, maxModelBytes, JobDescriptionJson.maxChars(maxModelBytes),
                            JobDescriptionJson.ALLOWANCE_BESIDES_MODEL));
        }
        return Result.success(new Submission(agreementId.asText(), address.asText(),
                counterPartyId.isTextual() ? counterPartyId.asText() : null,
                protocol.isTextual() ? protocol.asText() : DEFAULT_PROTOCOL, description.getContent()));
    }

    /**
     * Sends a job. Bad input (an agreement this connector does not hold as consumer, a provider id that is not the
     * agreement's) is {@code badRequest} and nothing is stored; otherwise the stored job, QUEUED until the provider
     * starts it.
     */
    public ServiceResult<RemoteJob> submit(Submission submission) {
        var checked = agreementFor(submission.agreementId(), submission.counterPartyId());
        if (checked.failed()) {
            return ServiceResult.badRequest(checked.getFailureDetail());
        }
        var agreement = checked.getContent();
        var context = participantContext.get();
        if (context.failed()) {
            return ServiceResult.unexpected("no participant context: " + context.getFailureDetail());
        }
        var id = UUID.randomUUID().toString();
        var file = resultFile(id);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            return ServiceResult.unexpected("cannot create the result directory " + file.getParent());
        }
        var sink = sinks.get().openBulkSink(id, agreement.getId(), file);
        if (sink.failed()) {
            return ServiceResult.unexpected(sink.getFailureDetail());
        }
        var progressSink = sinks.get().openBulkSink(progressTransferId(id), agreement.getId(), progressFile(id));
        if (progressSink.failed()) {
            sinks.get().close(id);
            return ServiceResult.unexpected(progressSink.getFailureDetail());
        }
        var job = RemoteJob.queued(id, agreement.getId(), agreement.getAssetId(), agreement.getProviderId(), submission.counterPartyAddress(),
                submission.job(), clock.instant());
        var created = store.create(job);
        if (created.failed()) {
            return ServiceResult.unexpected(created.getFailureDetail());
        }
        var request = TransferRequest.Builder.newInstance()
                .id(id)
                .protocol(submission.protocol())
                .counterPartyAddress(submission.counterPartyAddress())
                .contractId(agreement.getId())
                .transferType(ComputeTransferAddresses.PUSH)
                .dataDestination(ComputeTransferAddresses.destination(submission.job(), sink.getContent(), progressSink.getContent()))
                .build();
        var initiated = processes.get().initiateTransfer(context.getContent(), request);
        if (initiated.failed()) {
            sinks.get().close(id);
            sinks.get().close(progressTransferId(id));
            var failed = moveTo(id, JobState.FAILED, "the transfer could not be requested: " + initiated.getFailureDetail());
            return ServiceResult.badRequest(failed.succeeded() ? failed.getContent().reason() : initiated.getFailureDetail());
        }
        return ServiceResult.success(store.findById(id).orElseThrow());
    }

    /**
     * The agreement a job may be sent under: one this connector holds as its consumer, with the provider named (when
     * named), still usable ({@link AgreementStatus}: its negotiation not terminated); otherwise {@code badRequest} with
     * the reason.
     */
    public ServiceResult<ContractAgreement> agreementFor(String agreementId, String counterPartyId) {
        var agreement = agreements.apply(agreementId);
        if (agreement == null) {
            return ServiceResult.badRequest("agreementId: no agreement %s on this connector".formatted(agreementId));
        }
        if (!ownParticipantId.equals(agreement.getConsumerId())) {
            return ServiceResult.badRequest("agreementId: this connector (%s) is not the consumer of agreement %s"
                    .formatted(ownParticipantId, agreement.getId()));
        }
        if (counterPartyId != null && !counterPartyId.equals(agreement.getProviderId())) {
            return ServiceResult.badRequest("counterPartyId: agreement %s is with %s, not %s"
                    .formatted(agreement.getId(), agreement.getProviderId(), counterPartyId));
        }
        var usable = agreementStatus.usable(agreement.getId());
        if (usable.failed()) {
            return ServiceResult.badRequest("agreementId: " + usable.getFailureDetail());
        }
        return ServiceResult.success(agreement);
    }

    /** Cancels a queued or running job: the job is CANCELLED and its transfer process terminated (the provider cancels its job). */
    public ServiceResult<RemoteJob> cancel(String id) {
        return cancel(id, Cancellation.NONE);
    }

    /** As {@link #cancel(String)}, the cancellation's reason kept in the job's. */
    public ServiceResult<RemoteJob> cancel(String id, Cancellation cancellation) {
        var cancelled = moveTo(id, JobState.CANCELLED, cancellation.reasonOf("consumer"));
        if (cancelled.failed()) {
            return store.findById(id).isEmpty() ? ServiceResult.notFound("job %s not found".formatted(id))
                    : ServiceResult.conflict(cancelled.getFailureDetail());
        }
        var terminated = processes.get().terminate(new TerminateTransferCommand(id, "cancelled by consumer"));
        if (terminated.failed()) {
            monitor.warning("compute job %s: cannot terminate its transfer process: %s".formatted(id, terminated.getFailureDetail()));
        }
        return ServiceResult.success(cancelled.getContent());
    }

    /** The job, with the provider's latest progress report taken in while it runs. */
    public Optional<RemoteJob> find(String id) {
        return store.findById(id).map(this::withReportedProgress);
    }

    /** The jobs (all of them for a null agreement), with the provider's latest progress reports taken in. */
    public List<RemoteJob> list(String agreementId) {
        return store.findByAgreement(agreementId).stream().map(this::withReportedProgress).toList();
    }

    /**
     * Takes in the provider's latest progress report of an unfinished job (read when the job is read: reports replace
     * each other in one small file): a QUEUED job the provider reports running is RUNNING, the progress never goes
     * back, and the provider's job id is known before the result.
     */
    private RemoteJob withReportedProgress(RemoteJob job) {
        if (job.state().isFinal()) {
            return job;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(progressFile(job.id()));
        } catch (IOException e) {
            return job;
        }
        var report = ProgressReport.parse(bytes);
        if (report.failed()) {
            return job;
        }
        var reported = report.getContent();
        var running = reported.state() == JobState.RUNNING && job.state() == JobState.QUEUED;
        if (!running && reported.progress() <= job.progress() && reported.jobId().equals(job.providerJobId())) {
            return job;
        }
        UnaryOperator<RemoteJob> progressed = j -> j.progressed(reported.progress(), reported.jobId(), clock.instant());
        var updated = running
                ? lifecycle.transition(job.id(), JobState.RUNNING, j -> progressed.apply(j.withState(JobState.RUNNING, null, clock.instant())))
                : lifecycle.amend(job.id(), progressed);
        return updated.succeeded() ? updated.getContent() : store.findById(job.id()).orElse(job);
    }

    /** The result document of a completed job as received; {@code conflict} before the job completed. */
    public ServiceResult<byte[]> resultDocument(String id) {
        var job = store.findById(id);
        if (job.isEmpty()) {
            return ServiceResult.notFound("job %s not found".formatted(id));
        }
        if (job.get().state() != JobState.COMPLETED) {
            return ServiceResult.conflict("job %s is %s; its result is there once it is COMPLETED".formatted(id, job.get().state()));
        }
        try {
            return ServiceResult.success(Files.readAllBytes(resultFile(id)));
        } catch (IOException e) {
            return ServiceResult.unexpected("the result of job %s is no longer on this connector".formatted(id));
        }
    }

    /** Completes when the job reaches a final state; empty for an unknown job. */
    public Optional<CompletableFuture<RemoteJob>> whenFinished(String id) {
        return lifecycle.whenFinished(id);
    }

    /**
     * Opens the sinks of the jobs not yet finished (QUEUED, RUNNING) again, as they were opened when each job was
     * sent: the result sink under the job's id, the progress sink beside it, on the same files. The gRPC endpoint keeps
     * its sinks in memory and knows {@value ComputeTransferAddresses#PUSH} processes from no other store, so after a
     * restart of this connector the provider's push of a result would be refused as an unknown transfer. Runs at start,
     * before the gRPC endpoint takes calls; the provider's token for each sink is the one it was sent (the sink's new
     * token is not used). Answers how many jobs' sinks it opened.
     */
    public int reopenSinks() {
        var pushSinks = sinks.get();
        var reopened = 0;
        for (var job : store.findUnfinished()) {
            var sink = pushSinks.openBulkSink(job.id(), job.agreementId(), resultFile(job.id()));
            if (sink.failed()) {
                monitor.warning("compute job %s: its result sink cannot be opened again: %s".formatted(job.id(), sink.getFailureDetail()));
                continue;
            }
            var progress = pushSinks.openBulkSink(progressTransferId(job.id()), job.agreementId(), progressFile(job.id()));
            if (progress.failed()) {
                monitor.debug("compute job %s: its progress sink cannot be opened again: %s".formatted(job.id(), progress.getFailureDetail()));
            }
            reopened++;
        }
        return reopened;
    }

    /**
     * Ends the jobs whose result document arrived but whose transfer process has not moved for {@code grace}: EDC
     * 0.15.1 refuses (409) a provider's start message that overtakes the consumer's own "request sent" step, after
     * which the process never moves although the provider ran the job and pushed its document. Such a job takes the
     * document's end, and its process is terminated. A job without a document whose process has already ended
     * (completed or terminated) takes the process's end. Answers how many jobs it ended.
     */
    public int settleStalled(java.time.Duration grace) {
        var limit = clock.instant().minus(grace);
        var settled = 0;
        for (var job : store.findUnfinished()) {
            if (job.state().isFinal() || job.updatedAt().isAfter(limit)) {
                continue;
            }
            var document = readDocument(job.id());
            if (document.failed()) {
                if (followProcess(job.id())) {
                    settled++;
                }
                continue;
            }
            var ended = endAsDocumented(job.id(), document.getContent(), false);
            if (ended.succeeded()) {
                settled++;
                monitor.warning("compute job %s: its result document arrived but its transfer process did not move for %s; the job ends %s"
                        .formatted(job.id(), grace, ended.getContent().state()));
                var terminated = processes.get().terminate(new TerminateTransferCommand(job.id(), "the job's result arrived; the transfer process did not follow"));
                if (terminated.failed()) {
                    monitor.warning("compute job %s: cannot terminate its transfer process: %s".formatted(job.id(), terminated.getFailureDetail()));
                }
            }
        }
        return settled;
    }

    /**
     * A job without a document whose transfer process has ended (an event this job missed, say during a restart)
     * takes the process's end; answers whether the job ended.
     */
    private boolean followProcess(String id) {
        var process = processes.get().findById(id);
        if (process == null) {
            return false;
        }
        var state = TransferProcessStates.from(process.getState());
        if (state == TransferProcessStates.TERMINATED) {
            ended(id, process.getErrorDetail());
        } else if (state == TransferProcessStates.COMPLETED) {
            completed(id);
        } else {
            return false;
        }
        var job = store.findById(id);
        if (job.isPresent() && job.get().state().isFinal()) {
            monitor.warning("compute job %s: its transfer process had ended %s without it; the job ends %s".formatted(id, state, job.get().state()));
            return true;
        }
        return false;
    }

    // the transfer process's events, from RemoteComputeTransfers

    void started(String id) {
        // refused when the job already runs (a progress report came first) or has ended: nothing to do then
        moveTo(id, JobState.RUNNING, null);
    }

    void completed(String id) {
        var document = readDocument(id);
        if (document.failed()) {
            moveTo(id, JobState.FAILED, "the provider completed the transfer but " + document.getFailureDetail());
            return;
        }
        endAsDocumented(id, document.getContent(), true);
    }

    /**
     * Ends a job as the provider's result document says; a completed job ran, whatever the process said. The hashes
     * are kept for a completed job, and for any job whose transfer completed ({@code hashesAlways}).
     */
    private StoreResult<RemoteJob> endAsDocumented(String id, Received received, boolean hashesAlways) {
        var doc = received.document();
        var completed = doc.state() == JobState.COMPLETED;
        if (completed) {
            moveTo(id, JobState.RUNNING, null);
        }
        var hashes = completed || hashesAlways;
        return lifecycle.transition(id, doc.state(), j -> j.ended(doc.state(), doc.reason(), doc.jobId(),
                hashes ? doc.resultHash() : null, hashes ? received.sha256() : null, clock.instant()));
    }

    void ended(String id, String processErrorDetail) {
        var job = store.findById(id);
        if (job.isEmpty() || job.get().state().isFinal()) {
            return;
        }
        var document = readDocument(id);
        if (document.succeeded() && document.getContent().document().state() != JobState.COMPLETED) {
            endAsDocumented(id, document.getContent(), false);
            return;
        }
        moveTo(id, JobState.FAILED, TransferEndReason.of(processErrorDetail));
    }

    private Result<Received> readDocument(String id) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(resultFile(id));
        } catch (IOException e) {
            return Result.failure("no result document arrived");
        }
        var parsed = ResultDocument.parse(bytes);
        return parsed.failed() ? Result.failure(parsed.getFailureDetail()) : Result.success(new Received(parsed.getContent(), Sha256.hex(bytes)));
    }

    private record Received(ResultDocument document, String sha256) { }

    private StoreResult<RemoteJob> moveTo(String id, JobState target, String reason) {
        return lifecycle.transition(id, target, j -> j.withState(target, reason, clock.instant()));
    }

    /** Where the result document of the job {@code id} arrives (an absolute path). */
    Path resultFileOf(String id) {
        return resultFile(id).toAbsolutePath().normalize();
    }

    private Path resultFile(String id) {
        return resultDir.resolve(id + ".json");
    }

    private Path progressFile(String id) {
        return resultDir.resolve(id + ".progress.json");
    }

    /** The transfer id of a job's progress sink: the job's id and a suffix no UUID has. */
    static String progressTransferId(String id) {
        return id + ".progress";
    }

    private void closeProgressSink(String id) {
        var pushSinks = sinks.get();
        if (pushSinks == null) {
            return;
        }
        try {
            pushSinks.close(progressTransferId(id));
        } catch (RuntimeException e) {
            monitor.debug("compute job %s: its progress sink did not close: %s".formatted(id, e.getMessage()));
        }
    }

    private static Result<Void> needs(JobDescription job) {
        if (job.type() == JobType.SQL && job.parameter("query").filter(q -> !q.isBlank()).isEmpty()) {
            return Result.failure("job: an sql job needs the parameter 'query'");
        }
        if ((job.type() == JobType.EVALUATION || job.type() == JobType.FL_ROUND || job.type() == JobType.PREDICT) && job.model().isEmpty()) {
            return Result.failure("job: a %s job needs a base64 model".formatted(job.type().policyName()));
        }
        return Result.success();
    }

    private static boolean isHttpUrl(String text) {
        try {
            var uri = URI.create(text);
            var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
