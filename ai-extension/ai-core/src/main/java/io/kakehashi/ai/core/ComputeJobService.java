package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.AssetResolver;
import io.kakehashi.ai.spi.CancellationSignal;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobRun;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.ResultReleases;
import io.kakehashi.policy.spi.ComputeJob;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.DigestedPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs compute jobs at the provider. A submitted job is stored as {@code QUEUED}; the agreement's policy is then
 * evaluated in the {@code compute} scope through EDC's {@link PolicyEngine} (which the decision log decorates, so
 * every decision is recorded there and nowhere else) with the job's facts — the model it would export, the output
 * guard's k it runs with, the ε it would spend and what was spent. A denial is a {@code FAILED} job with the reason,
 * and nothing runs; the reason is the engine's message, which in the connector the decision log's engine shapes as
 * {@code kakehashi.policy.denial.disclosure} allows (the log keeps the full reasons). An admitted job charges its ε, runs on the executor on the agreement's asset only, reports
 * progress, is stopped at its time limit ({@code FAILED}) or when either side cancels it ({@code CANCELLED}), and ends
 * {@code COMPLETED} with the hash of its result, or {@code FAILED} with a reason. Every move of a job's state goes
 * through one {@link JobLifecycle}, which checks it against {@link JobState#TRANSITIONS}. Thread-safe.
 */
public final class ComputeJobService {

    /** Job parameter: the ε of the job's differential-privacy noise. */
    public static final String EPSILON = "epsilon";
    /** Job parameter: {@code true} when a training job asks for its model, not only its metrics. */
    public static final String EXPORT_MODEL = "exportModel";
    private static final String DENIED = "denied by policy";
    /** How the reason of a job that a restart of the provider ended begins. */
    public static final String RESTARTED = "the provider restarted while the job ran";

    private final ComputeJobStore store;
    private final EpsilonLedger ledger;
    private final PolicyEngine policyEngine;
    private final AssetResolver assets;
    private final Map<JobType, JobRunner> runners = new EnumMap<>(JobType.class);
    private final ExecutorService executor;
    private final ScheduledExecutorService watchdog;
    private final JobLimits limits;
    private final Clock clock;
    private final Monitor monitor;
    private final ConcurrentMap<String, CancellationSignal> running = new ConcurrentHashMap<>();
    private final Map<String, JobOutput> results;
    private final JobLifecycle<JobRecord> lifecycle;
    private final ResultReleases releases;

    /** How many results wait to be taken when no other number is given. */
    public static final int DEFAULT_RETAINED_RESULTS = 1000;

    public ComputeJobService(ComputeJobStore store, EpsilonLedger ledger, PolicyEngine policyEngine, AssetResolver assets,
                             List<JobRunner> runners, ExecutorService executor, ScheduledExecutorService watchdog,
                             JobLimits limits, Clock clock, Monitor monitor) {
        this(store, ledger, policyEngine, assets, runners, executor, watchdog, limits, clock, monitor, DEFAULT_RETAINED_RESULTS);
    }

    /**
     * @param retainedResults how many results of completed jobs are kept until taken; beyond that the oldest is
     *                        dropped (its job stays completed, with its result hash)
     */
    public ComputeJobService(ComputeJobStore store, EpsilonLedger ledger, PolicyEngine policyEngine, AssetResolver assets,
                             List<JobRunner> runners, ExecutorService executor, ScheduledExecutorService watchdog,
                             JobLimits limits, Clock clock, Monitor monitor, int retainedResults) {
        this(store, ledger, policyEngine, assets, runners, executor, watchdog, limits, clock, monitor, retainedResults, ResultReleases.NONE);
    }

    /**
     * @param releases where the release of each result (or the refusal to release one) is recorded, before the
     *                 result is handed to anyone; a result whose release cannot be recorded does not leave
     */
    public ComputeJobService(ComputeJobStore store, EpsilonLedger ledger, PolicyEngine policyEngine, AssetResolver assets,
                             List<JobRunner> runners, ExecutorService executor, ScheduledExecutorService watchdog,
                             JobLimits limits, Clock clock, Monitor monitor, int retainedResults, ResultReleases releases) {
        if (retainedResults < 1) {
            throw new IllegalArgumentException("retainedResults must be positive");
        }
        this.results = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JobOutput> eldest) {
                return size() > retainedResults;
            }
        });
        this.store = store;
        this.ledger = ledger;
        this.policyEngine = policyEngine;
        this.assets = assets;
        runners.forEach(runner -> this.runners.put(runner.type(), runner));
        this.executor = executor;
        this.watchdog = watchdog;
        this.limits = limits;
        this.clock = clock;
        this.monitor = monitor;
        this.releases = releases == null ? ResultReleases.NONE : releases;
        this.lifecycle = JobLifecycle.of(store, job -> { }, monitor);
    }

    /**
     * Submits a job under an agreement on behalf of its consumer. Bad input (a type nobody runs, a malformed
     * description, a consumer that is not the agreement's) is refused with {@code badRequest}/{@code unauthorized}
     * and nothing is stored; otherwise the answer is the stored job — {@code FAILED} with the reason when the policy
     * or the ε budget refused it, {@code QUEUED} or further when it was admitted.
     */
    public ServiceResult<JobRecord> submit(ParticipantAgent consumer, ContractAgreement agreement, JobDescription description) {
        return submit(consumer, agreement, description, UUID.randomUUID().toString());
    }

    /**
     * Submits a job under the id the caller gives (the transport uses its flow's id, so the job is found again when
     * the flow is started anew after a restart); as {@link #submit(ParticipantAgent, ContractAgreement, JobDescription)}
     * otherwise, and {@code conflict} when a job has that id.
     */
    public ServiceResult<JobRecord> submit(ParticipantAgent consumer, ContractAgreement agreement, JobDescription description, String jobId) {
        var runner = runners.get(description.type());
        if (runner == null) {
            return ServiceResult.badRequest("no runner for %s jobs on this connector".formatted(description.type().policyName()));
        }
        if (!agreement.getConsumerId().equals(consumer.getIdentity())) {
            return ServiceResult.unauthorized("agreement %s is not %s's".formatted(agreement.getId(), consumer.getIdentity()));
        }
        var valid = runner.validate(description);
        if (valid.failed()) {
            return ServiceResult.badRequest(valid.getFailureDetail());
        }
        var epsilon = readEpsilon(description);
        if (epsilon.failed()) {
            return ServiceResult.badRequest(epsilon.getFailureDetail());
        }

        var now = clock.instant();
        var job = JobRecord.queued(jobId, agreement.getId(), agreement.getAssetId(), consumer.getIdentity(), description, now);
        var created = store.create(job);
        if (created.failed()) {
            return store.findById(jobId).isPresent() ? ServiceResult.conflict("job %s already exists".formatted(jobId))
                    : ServiceResult.unexpected(created.getFailureDetail());
        }

        var terms = AgreementTerms.of(agreement.getPolicy());
        var exportsModel = description.type() == JobType.TRAINING && description.parameter(EXPORT_MODEL).map("true"::equals).orElse(false);
        var facts = new ComputeJob(description.type().policyName(), exportsModel, terms.minAggregation(),
                epsilon.getContent(), ledger.spent(agreement.getId()));
        // the decision's log entry names the job and the model by their digests, so an auditor can find it by either
        var digests = new java.util.HashMap<String, String>();
        digests.put(DigestedPolicyContext.JOB, job.descriptionHash());
        Optional.ofNullable(job.modelHash()).ifPresent(hash -> digests.put(DigestedPolicyContext.MODEL, hash));
        var context = new ComputePolicyContext(consumer, agreement, now, facts, digests);
        var decision = policyEngine.evaluate(agreement.getPolicy(), context);
        if (decision.failed()) {
            // the consumer reads this reason: in the connector the decision log's engine has shaped it as
            // kakehashi.policy.denial.disclosure allows (the full reasons stay in the log)
            var message = decision.getFailureDetail();
            return ServiceResult.success(fail(job.id(), message.startsWith(DENIED) ? message : DENIED + ": " + message));
        }
        if (epsilon.getContent().isPresent()) {
            var budget = terms.dpBudget().orElse(Double.POSITIVE_INFINITY);
            var charge = ledger.charge(agreement.getId(), job.id(), epsilon.getContent().getAsDouble(), budget);
            if (charge.failed()) {
                return ServiceResult.success(fail(job.id(), charge.getFailureDetail()));
            }
        }
        var admitted = lifecycle.amend(job.id(), j -> j.asAdmitted(clock.instant()));
        var asset = assets.resolve(agreement.getAssetId());
        if (asset.failed()) {
            return ServiceResult.success(fail(job.id(), "asset %s cannot be computed on: %s".formatted(agreement.getAssetId(), asset.getFailureDetail())));
        }

        var signal = new CancellationSignal();
        running.put(job.id(), signal);
        return ServiceResult.success(launch(runner, admitted.getContent(), description, asset.getContent(), terms, exportsModel, signal));
    }

    /**
     * Takes up a job the store holds {@code QUEUED} or {@code RUNNING} that no runner of this service owns — after a
     * restart of the provider, every such job. A job the policy admitted is run again from the start, as it was
     * admitted: SQL, training and evaluation are deterministic given their description, the asset and the agreement,
     * so the consumer gets the result the first run would have given. It is the same job: {@code compute.jobCount}
     * counts it once, and its ε was charged when it was admitted (a charge is per job id) and is not charged again.
     * A job that cannot run again safely ends {@code FAILED} with a reason starting {@value #RESTARTED}: one not yet
     * decided (its consumer's verified agent is gone with the process), a federated round (its noise would be drawn
     * anew, and its round's deadline has passed), one whose model is no longer at hand ({@code description} null
     * for a job with a model), or one whose {@code description} is not the job's. A final job, or one a runner owns,
     * is answered as it is.
     *
     * @param agreement   the job's agreement (null when this connector no longer knows it: the job fails)
     * @param description the job's description as the consumer sent it (its flow's destination), or null: then a
     *                    job without a model is rebuilt from its stored type and parameters
     */
    public ServiceResult<JobRecord> resume(ContractAgreement agreement, String jobId, JobDescription description) {
        var found = store.findById(jobId);
        if (found.isEmpty()) {
            return ServiceResult.notFound("job %s not found".formatted(jobId));
        }
        var job = found.get();
        var signal = new CancellationSignal();
        if (job.state().isFinal() || running.putIfAbsent(jobId, signal) != null) {
            return ServiceResult.success(job);
        }
        var refusal = cannotRunAgain(job, agreement, description);
        if (refusal != null) {
            running.remove(jobId, signal);
            monitor.warning("Compute job %s (%s) was %s when the connector stopped; it ends FAILED: %s"
                    .formatted(jobId, job.type().policyName(), job.state(), refusal));
            return ServiceResult.success(fail(jobId, RESTARTED + "; " + refusal));
        }
        var again = description != null ? description : JobDescription.of(job.type(), job.parameters());
        var asset = assets.resolve(agreement.getAssetId());
        if (asset.failed()) {
            running.remove(jobId, signal);
            return ServiceResult.success(fail(jobId, RESTARTED + "; asset %s cannot be computed on: %s".formatted(agreement.getAssetId(), asset.getFailureDetail())));
        }
        var terms = AgreementTerms.of(agreement.getPolicy());
        var exportsModel = job.type() == JobType.TRAINING && again.parameter(EXPORT_MODEL).map("true"::equals).orElse(false);
        monitor.info("Compute job %s (%s) was %s when the connector stopped; it runs again from the start".formatted(jobId, job.type().policyName(), job.state()));
        return ServiceResult.success(launch(runners.get(job.type()), job, again, asset.getContent(), terms, exportsModel, signal));
    }

    /**
     * Takes up every job the store holds {@code QUEUED} or {@code RUNNING} that no runner owns ({@link #resume}); what
     * runs at start, once the runtime is ready. Answers how many it took up (run again or failed).
     *
     * @param agreements   the agreement of an id, null when unknown
     * @param descriptions the description of a job as its consumer sent it, null when not at hand
     */
    public int resumeUnfinished(java.util.function.Function<String, ContractAgreement> agreements,
                                java.util.function.Function<String, JobDescription> descriptions) {
        var taken = 0;
        for (var job : store.findUnfinished()) {
            if (running.containsKey(job.id())) {
                continue;
            }
            try {
                var resumed = resume(agreements.apply(job.agreementId()), job.id(), descriptions.apply(job.id()));
                if (resumed.succeeded()) {
                    taken++;
                }
            } catch (RuntimeException e) {
                monitor.severe("Compute job %s could not be taken up after a restart".formatted(job.id()), e);
            }
        }
        return taken;
    }

    /** Whether a runner of this service owns the job now. */
    public boolean isRunningHere(String jobId) {
        return running.containsKey(jobId);
    }

    /** Why a job left unfinished by a restart cannot run again, or null when it can. */
    private String cannotRunAgain(JobRecord job, ContractAgreement agreement, JobDescription description) {
        if (!job.admitted()) {
            return "it had not been decided yet and nothing ran; request it again";
        }
        if (job.type() == JobType.FL_ROUND) {
            return "a federated round is not run again (its noise would be drawn anew and its round's deadline has passed)";
        }
        if (agreement == null || !agreement.getId().equals(job.agreementId())) {
            return "its agreement %s is no longer known here".formatted(job.agreementId());
        }
        if (!runners.containsKey(job.type())) {
            return "no runner for %s jobs on this connector".formatted(job.type().policyName());
        }
        if (description == null) {
            return job.modelHash() == null ? null : "its model is no longer at hand to run it again; request it again";
        }
        if (description.type() != job.type() || !description.descriptionHash().equals(job.descriptionHash())
                || !java.util.Objects.equals(description.modelHash().orElse(null), job.modelHash())) {
            return "the description at hand is not the job's";
        }
        return null;
    }

    private JobRecord launch(JobRunner runner, JobRecord job, JobDescription description, io.kakehashi.ai.spi.TabularAsset asset,
                             AgreementTerms terms, boolean exportsModel, CancellationSignal signal) {
        var run = new JobRun(job, description, asset, limits, terms.minAggregation(),
                exportsModel && terms.modelExport().orElse(false), fraction -> progress(job.id(), fraction), signal);
        try {
            executor.execute(() -> execute(runner, run));
        } catch (RejectedExecutionException e) {
            running.remove(job.id(), signal);
            return fail(job.id(), "the connector is not accepting jobs now");
        }
        return store.findById(job.id()).orElseThrow();
    }

    /** Cancels a queued or running job; {@code requestedBy} names the side ("consumer", "provider"). */
    public ServiceResult<JobRecord> cancel(String jobId, String requestedBy) {
        var result = lifecycle.transition(jobId, JobState.CANCELLED, j -> j.withState(JobState.CANCELLED, "cancelled by " + requestedBy, clock.instant()));
        if (result.failed()) {
            return store.findById(jobId).isEmpty()
                    ? ServiceResult.notFound("job %s not found".formatted(jobId))
                    : ServiceResult.conflict(result.getFailureDetail());
        }
        Optional.ofNullable(running.remove(jobId)).ifPresent(CancellationSignal::cancel);
        return ServiceResult.success(result.getContent());
    }

    public Optional<JobRecord> find(String jobId) {
        return store.findById(jobId);
    }

    /**
     * Completes when the job reaches a final state (completed, failed, cancelled), with the job as it then is;
     * empty for an unknown job. This is what the transport waits on before streaming a result back.
     */
    public Optional<CompletableFuture<JobRecord>> whenFinished(String jobId) {
        return lifecycle.whenFinished(jobId);
    }

    /** The result of a completed job, what may leave the provider, while it is kept. */
    public Optional<JobOutput> result(String jobId) {
        return Optional.ofNullable(results.get(jobId));
    }

    /** The result of a completed job, no longer kept afterwards: what the transport calls once it has sent it. */
    public Optional<JobOutput> takeResult(String jobId) {
        return Optional.ofNullable(results.remove(jobId));
    }

    private void execute(JobRunner runner, JobRun run) {
        var id = run.job().id();
        // a job taken up after a restart may have been RUNNING already; any other refusal means it was cancelled while queued
        var started = lifecycle.transition(id, JobState.RUNNING, j -> j.withState(JobState.RUNNING, null, clock.instant()));
        if (started.failed() && store.findById(id).map(j -> j.state() != JobState.RUNNING).orElse(true)) {
            running.remove(id);
            return;
        }
        var timer = watchdog.schedule(() -> timeOut(id), limits.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
        try {
            var output = runner.run(run);
            if (output.succeeded()) {
                var value = output.getContent();
                if (store.findById(id).map(j -> j.state() != JobState.RUNNING).orElse(true)) {
                    // cancelled or timed out meanwhile: nothing leaves, nothing is released
                    return;
                }
                var recorded = releases.released(run.job(), value.hash());
                if (recorded.failed()) {
                    monitor.warning("Compute job %s: the release of its result could not be recorded: %s".formatted(id, recorded.getFailureDetail()));
                    fail(id, "the release of the result could not be recorded; nothing leaves");
                    return;
                }
                // the result is in place before anyone waiting for the job's end hears of it
                results.put(id, value);
                var completed = lifecycle.transition(id, JobState.COMPLETED, j -> j.completed(value.hash(), clock.instant()));
                if (completed.failed()) {
                    // cancelled or timed out meanwhile: nothing leaves
                    results.remove(id);
                }
            } else {
                releases.refused(run.job(), output.getFailureDetail());
                fail(id, output.getFailureDetail());
            }
        } catch (RuntimeException e) {
            monitor.severe("Compute job %s (%s) failed unexpectedly".formatted(id, run.job().type().policyName()), e);
            fail(id, "the job failed inside the connector");
        } finally {
            timer.cancel(false);
            running.remove(id);
        }
    }

    private void timeOut(String id) {
        var failed = lifecycle.transition(id, JobState.FAILED,
                j -> j.withState(JobState.FAILED, "time limit of %s exceeded".formatted(limits.timeLimit()), clock.instant()));
        if (failed.succeeded()) {
            Optional.ofNullable(running.remove(id)).ifPresent(CancellationSignal::cancel);
        }
    }

    private void progress(String id, double fraction) {
        var bounded = Math.max(0, Math.min(1, fraction));
        lifecycle.amend(id, j -> j.state() == JobState.RUNNING && bounded > j.progress() ? j.withProgress(bounded, clock.instant()) : j);
    }

    private JobRecord fail(String id, String reason) {
        var failed = lifecycle.transition(id, JobState.FAILED, j -> j.withState(JobState.FAILED, reason, clock.instant()));
        return failed.succeeded() ? failed.getContent() : store.findById(id).orElseThrow();
    }

    private static Result<OptionalDouble> readEpsilon(JobDescription description) {
        var text = description.parameter(EPSILON);
        if (text.isEmpty()) {
            return Result.success(OptionalDouble.empty());
        }
        try {
            var epsilon = Double.parseDouble(text.get().trim());
            if (epsilon > 0 && !Double.isInfinite(epsilon)) {
                return Result.success(OptionalDouble.of(epsilon));
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        return Result.failure("epsilon: '%s' is not a positive finite number".formatted(text.get()));
    }
}
