package io.kakehashi.ai.transfer;

import io.kakehashi.ai.core.InMemoryRemoteJobStore;
import io.kakehashi.ai.core.InMemoryRemoteTrainingStore;
import io.kakehashi.ai.spi.RemoteJobStore;
import io.kakehashi.ai.spi.RemoteTrainingStore;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.kakehashi.core.spi.participant.OwnParticipant;
import io.kakehashi.lineage.spi.ReceivedContents;
import io.kakehashi.transfer.spi.PushSinks;
import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessObservable;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.command.TerminateTransferCommand;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import io.kakehashi.ai.extension.ComputeRequestReader;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.kakehashi.ai.extension.ComputeJobsExtension.FORMER_MAX_MODEL_BYTES;
import static io.kakehashi.ai.extension.ComputeJobsExtension.MAX_MODEL_BYTES;
import static io.kakehashi.core.spi.settings.SettingValues.integer;
import static io.kakehashi.core.spi.settings.SettingValues.renamed;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * The consumer's side of compute jobs between connectors: {@link RemoteComputeJobs} (send a job under an agreement as
 * a {@code KakehashiCompute-PUSH} transfer process, follow it, read its result), its listener on the transfer
 * processes, the jobs on the management API ({@code /v3/kakehashi/compute/remote-jobs}) and federated trainings across
 * several holders ({@code /v3/kakehashi/compute/trainings}); with the lineage extension, each result document and
 * model received goes into the consumer's lineage ({@link ReceivedComputeResults}). The jobs live in a
 * {@link RemoteJobStore}, the trainings in a {@link RemoteTrainingStore} (in memory unless another extension provides
 * them; at start a training left RUNNING is marked FAILED); result documents in
 * {@value #RESULT_DIR}.
 */
@Extension(RemoteComputeExtension.NAME)
@Provides(RemoteComputeJobs.class)
public class RemoteComputeExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute jobs at other connectors";
    public static final String RESULT_DIR = "kakehashi.ai.compute.result-dir";
    /** The key's former camelCase name, still read (with a warning) when the new key is not set. */
    public static final String FORMER_RESULT_DIR = "kakehashi.ai.compute.resultDir";

    @Setting(key = RESULT_DIR, required = false,
            description = "Directory where the results of this connector's jobs at providers arrive (default: <java.io.tmpdir>/kakehashi-compute-results-<participant id>)")
    private String resultDir;
    @Setting(key = MAX_MODEL_BYTES, defaultValue = "67108864",
            description = "The largest ONNX model an evaluation job may bring, in bytes; this connector sends no larger one either")
    private String maxModelBytes;

    @Inject
    private RemoteJobStore store;
    @Inject
    private RemoteTrainingStore trainingStore;
    @Inject
    private ContractNegotiationStore agreements;
    @Inject
    private AgreementStatus agreementStatus;
    @Inject
    private PushSinks sinks;
    @Inject
    private TransferProcessService processes;
    @Inject
    private TransferProcessObservable observable;
    @Inject
    private SingleParticipantContextSupplier participantContext;
    @Inject
    private WebService webService;
    @Inject
    private ComputeRequestReader requests;
    @Inject
    private Clock clock;
    @Inject(required = false)
    private OpenApiDocuments openApi;
    /** The consumer's lineage (policy-engine/lineage), when the connector has it: results and models are recorded in it. */
    @Inject(required = false)
    private ReceivedContents receivedContents;

    /** How long a job whose result arrived may wait for its transfer process before it is settled from the document. */
    private static final Duration STALLED_AFTER = Duration.ofSeconds(30);

    private ExecutorService trainingThreads;
    private ScheduledExecutorService settler;
    private RemoteComputeJobs jobs;
    private RemoteTrainings trainings;
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = context.getConfig();
        var configuredDir = renamed(config, RESULT_DIR, FORMER_RESULT_DIR, resultDir, context.getMonitor());
        var modelLimit = require(integer(MAX_MODEL_BYTES, renamed(config, MAX_MODEL_BYTES, FORMER_MAX_MODEL_BYTES, maxModelBytes,
                context.getMonitor()), 1, Integer.MAX_VALUE));
        var participantId = OwnParticipant.id(participantContext, false);
        var dir = configuredDir == null || configuredDir.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "kakehashi-compute-results-" + participantId.replaceAll("[^A-Za-z0-9._-]", "_"))
                : Path.of(configuredDir);
        monitor = context.getMonitor().withPrefix("remote-compute");
        var jobs = new RemoteComputeJobs(store, agreements::findContractAgreement, agreementStatus, () -> sinks, () -> processes, participantContext,
                participantId, dir, clock, monitor);
        observable.registerListener(new RemoteComputeTransfers(jobs,
                id -> processes.terminate(new TerminateTransferCommand(id, "a compute job cannot be suspended"))));
        requests.register(RemoteComputeJobs.SUBMISSION_SHAPE, RemoteComputeJobs.Submission.class,
                body -> RemoteComputeJobs.parseSubmission(body, modelLimit));
        requests.register(RemoteTrainings.REQUEST_SHAPE, RemoteTrainings.Request.class, RemoteTrainings::parse);
        webService.registerResource(ApiContext.MANAGEMENT, new RemoteComputeJobsApiController(jobs, requests));
        if (receivedContents != null) {
            receivedContents.register(new ReceivedComputeResults(jobs));
        }
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "compute-remote-jobs", RemoteComputeExtension.class, "/openapi/compute-remote-jobs.json");
        }
        trainingThreads = Executors.newCachedThreadPool(runnable -> {
            var thread = new Thread(runnable, "kakehashi-federated-training");
            thread.setDaemon(true);
            return thread;
        });
        trainings = new RemoteTrainings(jobs, trainingStore, trainingThreads, clock, context.getMonitor().withPrefix("federated"));
        webService.registerResource(ApiContext.MANAGEMENT, new RemoteTrainingsApiController(trainings, requests));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "compute-trainings", RemoteComputeExtension.class, "/openapi/compute-trainings.json");
        }
        context.registerService(RemoteComputeJobs.class, jobs);
        this.jobs = jobs;
    }

    /**
     * The sinks of the jobs this connector sent and that have not ended are opened again before the gRPC endpoint
     * takes calls (it starts in {@code start()}), so a provider that pushes a result while or after this connector
     * restarted finds where it goes.
     */
    @Override
    public void prepare() {
        var reopened = jobs.reopenSinks();
        if (reopened > 0) {
            monitor.info("opened the result sinks of %d compute jobs sent before this start".formatted(reopened));
        }
    }

    @Override
    public void start() {
        // a training is not resumed: one that was running when the connector stopped has lost its coordinator
        trainings.failInterrupted();
        // a safety net for EDC's start-message race (see RemoteComputeJobs.settleStalled), checked now and then
        settler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-compute-settler");
            thread.setDaemon(true);
            return thread;
        });
        settler.scheduleWithFixedDelay(() -> {
            try {
                jobs.settleStalled(STALLED_AFTER);
            } catch (RuntimeException e) {
                monitor.warning("settling stalled compute jobs failed: " + e.getMessage());
            }
        }, STALLED_AFTER.toSeconds(), STALLED_AFTER.toSeconds() / 3, TimeUnit.SECONDS);
    }

    @Override
    public void shutdown() {
        if (trainingThreads != null) {
            trainingThreads.shutdownNow();
        }
        if (settler != null) {
            settler.shutdownNow();
        }
    }

    /** The embedded default: the consumer's jobs in memory. */
    @Provider(isDefault = true)
    public RemoteJobStore remoteJobStore() {
        return new InMemoryRemoteJobStore();
    }

    /** The embedded default: the trainings in memory. */
    @Provider(isDefault = true)
    public RemoteTrainingStore remoteTrainingStore() {
        return new InMemoryRemoteTrainingStore();
    }
}
