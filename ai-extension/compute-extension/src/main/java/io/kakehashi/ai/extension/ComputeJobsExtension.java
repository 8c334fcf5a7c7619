package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.core.StoreComputeJobCounter;
import io.kakehashi.ai.ml.FederatedRoundRunner;
import io.kakehashi.ai.ml.OnnxEvaluationRunner;
import io.kakehashi.ai.ml.PredictionJobRunner;
import io.kakehashi.ai.ml.TrainingJobRunner;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.JobRunner;
import io.kakehashi.ai.spi.ResultReleases;
import io.kakehashi.ai.sql.SqlJobRunner;
import io.kakehashi.policy.spi.ComputeJobCounter;
import io.kakehashi.policy.spi.ConsentFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.asset.spi.index.DataAddressResolver;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.Config;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kakehashi.core.spi.settings.SettingValues.bytes;
import static io.kakehashi.core.spi.settings.SettingValues.integer;
import static io.kakehashi.core.spi.settings.SettingValues.positiveDuration;
import static io.kakehashi.core.spi.settings.SettingValues.renamed;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * Puts the compute job service in the connector: the job runners (SQL, training, evaluation, prediction counts, federated round) with
 * their limits, each job decided in the {@code compute} scope through the connector's {@link PolicyEngine} (the
 * decision log's, so every decision is recorded), assets resolved from {@code File} data addresses (with the
 * data-subject field of an asset that holds personal data, which the output guard counts), and the job
 * store as the durable counter of {@code compute.jobCount}. Settings are checked at start; a bad one stops the
 * connector with a message naming its key. A key renamed to kebab-case is still read under its former camelCase name
 * (with a warning) while the new one is not set.
 */
@Extension(ComputeJobsExtension.NAME)
@Provides({ComputeJobService.class, ComputeJobCounter.class})
public class ComputeJobsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute jobs";

    public static final String JOB_THREADS = "kakehashi.ai.jobs.threads";
    public static final String TIME_LIMIT = "kakehashi.ai.jobs.time-limit";
    public static final String MEMORY_LIMIT = "kakehashi.ai.jobs.memory-limit";
    public static final String SQL_THREADS = "kakehashi.ai.sql.threads";
    public static final String SQL_MAX_ROWS = "kakehashi.ai.sql.max-result-rows";
    public static final String MAX_MODEL_BYTES = "kakehashi.ai.evaluation.max-model-bytes";
    public static final String RETAINED_RESULTS = "kakehashi.ai.jobs.retained-results";
    public static final String CONSENTED_DIRECTORY = "kakehashi.ai.jobs.consented-directory";
    /** The keys' former camelCase names, still read (with a warning) when the new key is not set. */
    public static final String FORMER_TIME_LIMIT = "kakehashi.ai.jobs.timeLimit";
    public static final String FORMER_MEMORY_LIMIT = "kakehashi.ai.jobs.memoryLimit";
    public static final String FORMER_SQL_MAX_ROWS = "kakehashi.ai.sql.maxResultRows";
    public static final String FORMER_MAX_MODEL_BYTES = "kakehashi.ai.evaluation.maxModelBytes";
    public static final String FORMER_RETAINED_RESULTS = "kakehashi.ai.jobs.retainedResults";

    @Setting(key = JOB_THREADS, defaultValue = "2", description = "Compute jobs that run at the same time (1 to 64); more wait queued")
    private int jobThreads;
    @Setting(key = TIME_LIMIT, defaultValue = "PT10M", description = "Wall-clock limit of one job (ISO-8601 duration); a job past it fails")
    private String timeLimit;
    @Setting(key = MEMORY_LIMIT, defaultValue = "1073741824",
            description = "Memory of one job's SQL engine in bytes (at least 64 MiB: the CSV reader alone needs about 32 MiB)")
    private String memoryLimit;
    @Setting(key = SQL_THREADS, defaultValue = "1", description = "DuckDB worker threads of one SQL job (1 to 64)")
    private int sqlThreads;
    @Setting(key = SQL_MAX_ROWS, defaultValue = "10000", description = "The most rows an SQL job's result may have")
    private String maxResultRows;
    @Setting(key = MAX_MODEL_BYTES, defaultValue = "67108864", description = "The largest ONNX model an evaluation job may bring, in bytes")
    private String maxModelBytes;
    @Setting(key = RETAINED_RESULTS, defaultValue = "1000",
            description = "Results of completed jobs kept until the transport takes them; beyond that the oldest is dropped")
    private String retainedResults;

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private ComputeJobStore store;
    @Inject
    private EpsilonLedger ledger;
    @Inject
    private DataAddressResolver addresses;
    /** The assets, for the data-subject field an asset holding personal data declares. */
    @Inject
    private AssetIndex assets;
    @Inject
    private Clock clock;
    /** Where result releases are recorded (the decision log's, from the compute transfer module); none without it. */
    @Inject(required = false)
    private ResultReleases releases;
    @Inject(required = false)
    private MeterRegistry meterRegistry;

    /** The consent register's filter (policy-engine/consent); without it every asset is computed on as it is. */
    @Inject(required = false)
    private ConsentFilter consentFilter;
    @Setting(key = CONSENTED_DIRECTORY, defaultValue = "kakehashi-data/consented-inputs",
            description = "Where a job on an asset that holds personal data reads its copy narrowed to the consented records (owner-only, deleted when the job ends)")
    private String consentedDirectory;

    private ExecutorService jobs;
    private ScheduledExecutorService timers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var limits = read(context.getConfig(), context.getMonitor());
        jobs = Executors.newFixedThreadPool(jobThreads, daemon("kakehashi-compute-job-"));
        timers = Executors.newSingleThreadScheduledExecutor(daemon("kakehashi-compute-timer-"));
        var runners = List.of(
                new SqlJobRunner(timers, sqlThreads, limits.maxResultRows()),
                new TrainingJobRunner(),
                new OnnxEvaluationRunner(limits.maxModelBytes()),
                new PredictionJobRunner(limits.maxModelBytes()),
                new FederatedRoundRunner(SecureRandom::new));
        // jobs counted by type and outcome on the connector's meters when the metrics module provides them
        var jobStore = meterRegistry == null ? store : new MeteredComputeJobStore(store, meterRegistry);
        var service = new ComputeJobService(jobStore, ledger, policyEngine, new FileAddressAssetResolver(addresses, this::subjectField), consented(runners), jobs, timers,
                limits.job(), clock, context.getMonitor().withPrefix("compute"), limits.retainedResults(),
                releases == null ? ResultReleases.NONE : releases);
        context.registerService(ComputeJobService.class, service);
        context.registerService(ComputeJobCounter.class, new StoreComputeJobCounter(store));
    }

    /**
     * The data-subject field an asset declares, read from the asset itself rather than from the consent register, so
     * that the output guard counts subjects whether or not the register is installed.
     */
    private Optional<String> subjectField(String assetId) {
        var asset = assets.findById(assetId);
        return asset == null ? Optional.empty() : ConsentFilter.declaredSubjectField(asset.getProperty(ConsentFilter.SUBJECT_FIELD));
    }

    /** Each runner, given only consented records of an asset that holds personal data (docs/decisions/0045). */
    private List<JobRunner> consented(List<? extends JobRunner> runners) {
        if (consentFilter == null) {
            return List.copyOf(runners);
        }
        var directory = Path.of(consentedDirectory);
        return runners.stream().<JobRunner>map(runner -> new ConsentNarrowedRunner(runner, consentFilter, directory)).toList();
    }

    @Override
    public void shutdown() {
        if (jobs != null) {
            jobs.shutdownNow();
            timers.shutdownNow();
        }
    }

    /** The settings, each read under its new key or, failing that, its former one; a bad value stops the connector. */
    private Limits read(Config config, Monitor monitor) {
        require(integer(JOB_THREADS, jobThreads, 1, 64));
        require(integer(SQL_THREADS, sqlThreads, 1, 64));
        var memory = require(bytes(MEMORY_LIMIT, renamed(config, MEMORY_LIMIT, FORMER_MEMORY_LIMIT, memoryLimit, monitor), 64L << 20, Long.MAX_VALUE));
        var rows = require(integer(SQL_MAX_ROWS, renamed(config, SQL_MAX_ROWS, FORMER_SQL_MAX_ROWS, maxResultRows, monitor), 1, Integer.MAX_VALUE));
        var model = require(integer(MAX_MODEL_BYTES, renamed(config, MAX_MODEL_BYTES, FORMER_MAX_MODEL_BYTES, maxModelBytes, monitor), 1, Integer.MAX_VALUE));
        var retained = require(integer(RETAINED_RESULTS, renamed(config, RETAINED_RESULTS, FORMER_RETAINED_RESULTS, retainedResults, monitor),
                1, Integer.MAX_VALUE));
        var time = require(positiveDuration(TIME_LIMIT, renamed(config, TIME_LIMIT, FORMER_TIME_LIMIT, timeLimit, monitor)));
        return new Limits(new JobLimits(time, memory), rows, model, retained);
    }

    private record Limits(JobLimits job, int maxResultRows, int maxModelBytes, int retainedResults) {
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        var count = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
