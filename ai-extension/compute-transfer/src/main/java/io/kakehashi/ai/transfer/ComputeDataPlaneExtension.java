package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.core.spi.settings.SettingValues;
import io.kakehashi.transfer.spi.BulkPushes;
import io.kakehashi.transfer.spi.PushRetry;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSink;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSinkFactory;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSource;
import org.eclipse.edc.connector.dataplane.spi.pipeline.DataSourceFactory;
import org.eclipse.edc.connector.dataplane.spi.pipeline.PipelineService;
import org.eclipse.edc.connector.dataplane.spi.registry.TransferServiceRegistry;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Violation;
import org.jetbrains.annotations.NotNull;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The provider's side of compute jobs between connectors: the embedded data plane runs {@code KakehashiCompute-PUSH}
 * flows in {@link ComputeTransferService}, and the self-registration advertises that transfer type and {@code File}
 * sources (the compute assets), so a consumer can request a job as a DSP transfer process under its agreement. The
 * {@code transfer.process} decision keeps the consumer's verified agent for the job's {@code compute} decision.
 */
@Extension(ComputeDataPlaneExtension.NAME)
public class ComputeDataPlaneExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute jobs on the data plane";
    public static final String PROGRESS_INTERVAL = "kakehashi.ai.compute.progress-interval";
    /** The key's former camelCase name, still read (with a warning) when the new key is not set. */
    public static final String FORMER_PROGRESS_INTERVAL = "kakehashi.ai.compute.progressInterval";
    static final Duration MIN_PROGRESS_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_PROGRESS_INTERVAL = Duration.ofMinutes(10);

    /** The gRPC data plane's key: how long a push keeps retrying without progress (the result push outlasts a consumer's restart). */
    public static final String RETRY_WINDOW = "kakehashi.transfer.grpc.retry-window";

    @Setting(key = RETRY_WINDOW, defaultValue = "PT2M",
            description = "How long the push of a job's result keeps retrying while the consumer cannot be reached (ISO 8601; the gRPC data plane's setting)")
    private String retryWindow;
    @Setting(key = PROGRESS_INTERVAL, defaultValue = "PT2S",
            description = "How often a running job's state and progress are looked at and, when they changed, pushed to the consumer (ISO 8601, PT0.1S to PT10M)")
    private String progressInterval;
    /** The data-address type of compute assets (a CSV or Parquet file the connector reads). */
    static final String FILE = "File";

    @Inject
    private ComputeJobService jobs;
    @Inject
    private ContractNegotiationStore agreements;
    @Inject
    private BulkPushes pushes;
    @Inject
    private DataPlaneStore dataFlows;
    @Inject
    private TransferServiceRegistry transferServices;
    @Inject
    private PipelineService pipelineService;
    @Inject
    private PolicyEngine policyEngine;
    @Inject(required = false)
    private DataAddressValidatorRegistry addressValidators;

    private ExecutorService executor;
    private java.util.concurrent.ScheduledExecutorService reporter;
    private ComputeTransferService service;
    private org.eclipse.edc.spi.monitor.Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor().withPrefix("compute-transfer");
        var agents = new TransferAgents();
        policyEngine.registerPostValidator(TransferProcessPolicyContext.class, agents::remember);
        var interval = progressInterval(SettingValues.renamed(context.getConfig(), PROGRESS_INTERVAL, FORMER_PROGRESS_INTERVAL, progressInterval,
                context.getMonitor()));
        executor = Executors.newCachedThreadPool(daemon());
        reporter = Executors.newSingleThreadScheduledExecutor(daemon());
        // the data plane's record of the flow knows its agreement; the start message handed to a transfer service does not
        Function<String, ContractAgreement> agreementOfFlow = processId -> Optional.ofNullable(dataFlows.findById(processId))
                .map(flow -> flow.getAgreementId()).map(agreements::findContractAgreement).orElse(null);
        var window = SettingValues.require(SettingValues.duration(RETRY_WINDOW, retryWindow == null ? "PT2M" : retryWindow, Duration.ZERO,
                Duration.ofDays(7)));
        service = new ComputeTransferService(jobs, agreementOfFlow, agents, pushes,
                PushRetry.dataPlaneSettings().withWindow(window), executor, reporter, interval, context.getMonitor().withPrefix("compute-transfer"));
        // before GrpcStream-PUSH's service (priority 10): the destination type tells them apart anyway
        transferServices.registerTransferService(20, service);
        pipelineService.registerFactory(new AdvertisedSinkType());
        pipelineService.registerFactory(new AdvertisedFileSource());
        if (addressValidators != null) {
            addressValidators.registerDestinationValidator(ComputeTransferAddresses.TYPE, address -> {
                var parsed = ComputeTransferAddresses.parse(address);
                return parsed.succeeded() ? ValidationResult.success()
                        : ValidationResult.failure(Violation.violation(parsed.getFailureDetail(), ComputeTransferAddresses.JOB));
            });
        }
    }

    /**
     * Takes up the jobs this connector left QUEUED or RUNNING when it stopped ({@link ComputeJobService#resumeUnfinished}):
     * each runs again from the start, with its description from its flow (the model of an evaluation travels only
     * there), or ends FAILED with the reason. EDC starts the flows anew and the flow of each job pushes its end.
     */
    @Override
    public void start() {
        executor.execute(() -> {
            try {
                var taken = jobs.resumeUnfinished(agreements::findContractAgreement, this::descriptionOf);
                if (taken > 0) {
                    monitor.info("took up %d compute jobs left unfinished when this connector stopped".formatted(taken));
                }
            } catch (RuntimeException e) {
                monitor.warning("cannot take up the compute jobs left unfinished: " + e.getMessage());
            }
        });
    }

    /** The job description a consumer sent in the destination of the flow with the job's id, or null. */
    private JobDescription descriptionOf(String jobId) {
        var flow = dataFlows.findById(jobId);
        if (flow == null || flow.getDestination() == null) {
            return null;
        }
        var destination = ComputeTransferAddresses.parse(flow.getDestination());
        return destination.succeeded() ? destination.getContent().job() : null;
    }

    @Override
    public void shutdown() {
        if (service != null) {
            service.closeAll();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (reporter != null) {
            reporter.shutdownNow();
        }
    }

    /** Reads {@value #PROGRESS_INTERVAL}; a value that is no duration or out of range stops the connector naming the key. */
    static Duration progressInterval(String value) {
        return SettingValues.require(SettingValues.duration(PROGRESS_INTERVAL, value == null ? "PT2S" : value, MIN_PROGRESS_INTERVAL,
                MAX_PROGRESS_INTERVAL));
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        var count = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, "kakehashi-compute-transfer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Declares KakehashiCompute as a sink type, so the data plane offers KakehashiCompute-PUSH; the pipeline never runs it. */
    private static final class AdvertisedSinkType implements DataSinkFactory {
        @Override
        public String supportedType() {
            return ComputeTransferAddresses.TYPE;
        }

        @Override
        public DataSink createSink(DataFlowStartMessage request) {
            throw new EdcException("%s runs in the compute transfer service, not in the pipeline".formatted(ComputeTransferAddresses.PUSH));
        }

        @Override
        public @NotNull Result<Void> validateRequest(DataFlowStartMessage request) {
            return Result.failure("%s runs in the compute transfer service, not in the pipeline".formatted(ComputeTransferAddresses.PUSH));
        }
    }

    /** Declares File as a source type, so the data plane is chosen for compute assets; their data never leaves as such. */
    private static final class AdvertisedFileSource implements DataSourceFactory {
        @Override
        public String supportedType() {
            return FILE;
        }

        @Override
        public DataSource createSource(DataFlowStartMessage request) {
            throw new EdcException("a File asset is computed on (%s), not transferred".formatted(ComputeTransferAddresses.PUSH));
        }

        @Override
        public @NotNull Result<Void> validateRequest(DataFlowStartMessage request) {
            return Result.failure("a File asset is computed on (%s), not transferred".formatted(ComputeTransferAddresses.PUSH));
        }
    }
}
