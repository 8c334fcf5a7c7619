package io.kakehashi.ai.models;

import io.kakehashi.ai.extension.FileAddressAssetResolver;
import io.kakehashi.ai.models.sql.ModelAssetsTables;
import io.kakehashi.ai.models.sql.PostgresModelRunLedger;
import io.kakehashi.ai.models.sql.PostgresReceivedRunReports;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.provenance.DidSignerKeys;
import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.lineage.spi.LineageKind;
import io.kakehashi.lineage.spi.ReceivedContents;
import io.kakehashi.policy.constraints.ai.InferenceRunsConstraintFunction;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.DataAddressResolver;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessService;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessObservable;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Models as assets (decision 0046): as a holder, the sealed model store, the runs of the vendors' models on the
 * holder's own assets decided in the {@code model.run} scope, and their signed reports to the vendors; as a vendor,
 * the holders' reports verified and kept. Also the guards that keep sealed weights in the connector (assets naming
 * the store, transfer requests under inference-only agreements). Needs the policy-engine constraints
 * ({@code model.run} scope), the control plane with the gRPC data plane, the connector's signing key and, to verify
 * holders' keys, a DID resolver. The run ledger and the kept reports are files in the embedded default, PostgreSQL when
 * the connector has a default data source (shared by its replicas, so the run count holds across them).
 */
@Extension(ModelAssetsExtension.NAME)
public class ModelAssetsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi models as assets";
    static final String STORE_DIR = "kakehashi.ai.models.store-dir";
    static final String PREDICTIONS_DIR = "kakehashi.ai.models.predictions-dir";
    static final String REPORTS_FILE = "kakehashi.ai.models.run-reports-file";
    static final String REPORT_RETRY = "kakehashi.ai.models.report-retry";
    // what one run may read of the holder's asset into the engine that reads it, as a compute job's default
    static final long MEMORY_LIMIT_BYTES = 1L << 30;

    @Setting(key = STORE_DIR, description = "Where the sealed models (and, without PostgreSQL, their run ledgers) are kept (readable by the connector's user only)",
            defaultValue = "kakehashi-data/models/sealed")
    private String storeDir;
    @Setting(key = PREDICTIONS_DIR, description = "Where the holder's predictions of each model run are written",
            defaultValue = "kakehashi-data/models/predictions")
    private String predictionsDir;
    @Setting(key = REPORTS_FILE, description = "Where the vendor keeps the holders' run reports (JSON Lines); unused with PostgreSQL",
            defaultValue = "kakehashi-data/models/run-reports.jsonl")
    private String reportsFile;
    @Setting(key = REPORT_RETRY, description = "How often run reports the vendor did not take are offered again (ISO 8601)", defaultValue = "PT30S")
    private String reportRetry;
    @Setting(key = "edc.participant.id", description = "This connector's participant id (its DID)")
    private String participantId;

    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private TransactionContext transactions;
    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject
    private PolicyEngine policyEngine;
    @Inject(required = false)
    private AgreementStatus agreementStatus;
    @Inject
    private DataAddressResolver addresses;
    @Inject
    private ConnectorSigningKey signingKey;
    @Inject
    private EdcHttpClient httpClient;
    @Inject(required = false)
    private DidResolverRegistry didResolvers;
    // where holders' keys come from when the runtime provides its own way; their DID documents otherwise
    @Inject(required = false)
    private SignerKeys signerKeys;
    // the lineage's record of what arrived: a sealed model is recorded as a MODEL received under its agreement
    @Inject(required = false)
    private ReceivedContents receivedContents;
    @Inject(required = false)
    private DecisionRecorder recorder;
    @Inject
    private WebService webService;
    @Inject
    private TypeManager typeManager;
    @Inject
    private Clock clock;
    @Inject
    private TransferProcessService transferProcesses;
    @Inject
    private TransferProcessObservable transferObservable;
    @Inject
    private SingleParticipantContextSupplier participantContext;
    @Inject
    private JsonObjectValidatorRegistry validators;
    @Inject(required = false)
    private OpenApiDocuments openApi;

    private ScheduledExecutorService retries;
    private TransactionalDatabase database;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var retry = duration(REPORT_RETRY, reportRetry);
        var mapper = typeManager.getMapper();
        var store = new SealedModelStore(Path.of(storeDir), mapper);
        database = TransactionalDatabase.ofDefaultDataSource(context.getConfig(), dataSourceRegistry, transactions, "Models as assets").orElse(null);
        ModelRunLedger ledger = database != null ? new PostgresModelRunLedger(database) : new FileModelRunLedger(store::home, mapper);
        var delivery = new HttpRunReportDelivery(httpClient, mapper);
        retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-model-run-reports");
            thread.setDaemon(true);
            return thread;
        });
        var runs = new ModelRuns(participantId, this::agreement, store, policyEngine, agreementStatus, new FileAddressAssetResolver(addresses),
                Path.of(predictionsDir), signingKey, delivery,
                retries::execute, clock, MEMORY_LIMIT_BYTES, ledger);
        var intake = new SealedModelIntake(participantId, this::agreement, store, this::initiate, clock, context.getMonitor());
        transferObservable.registerListener(intake);
        if (receivedContents != null) {
            receivedContents.register(process -> intake.receives(process)
                    && intake.destination(process) != null
                    ? Optional.of(new ReceivedContents.Received(LineageKind.MODEL, intake.destination(process))) : Optional.empty());
        }
        validators.register(Asset.EDC_ASSET_TYPE, SealedModelGuards.assets(store));
        validators.register(TransferRequest.TRANSFER_REQUEST_TYPE, SealedModelGuards.transferRequests(this::agreement));

        ReceivedRunReports reports = database != null ? new PostgresReceivedRunReports(database) : new FileReceivedRunReports(Path.of(reportsFile), mapper);
        SignerKeys keys = signerKeys != null ? signerKeys : didResolvers != null ? new DidSignerKeys(didResolvers)
                : (participant, keyId) -> Result.failure("this connector resolves no DIDs, so it cannot verify the holder's key");
        var receiver = new RunReportReceiver(participantId, this::agreement, keys, reports, recorder, clock);
        webService.registerResource(ApiContext.PROTOCOL, new RunReportsController(receiver));
        webService.registerResource(ApiContext.MANAGEMENT, new ModelsApiController(() -> intake, store, runs, reports, this::limit,
                this::dspAgreementId, mapper));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "models", ModelAssetsExtension.class, "/openapi/models.json");
        }

        retries.scheduleWithFixedDelay(() -> {
            try {
                runs.deliverAllPending();
            } catch (RuntimeException e) {
                context.getMonitor().warning("Model run reports: offering them again failed: " + e.getMessage());
            }
        }, retry.toMillis(), retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void prepare() {
        if (database != null) {
            // the pool registers the data source during initialisation, so the tables are made once it is there
            ModelAssetsTables.create(database);
        }
    }

    @Override
    public void shutdown() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }

    private ServiceResult<String> initiate(TransferRequest request) {
        var own = participantContext.get();
        if (own.failed()) {
            return ServiceResult.unexpected("no participant context: " + own.getFailureDetail());
        }
        var process = transferProcesses.initiateTransfer(own.getContent(), request);
        return process.succeeded() ? ServiceResult.success(process.getContent().getId()) : ServiceResult.badRequest(process.getFailureDetail());
    }

    // an agreement by this connector's id or the protocol's
    private ContractAgreement agreement(String id) {
        return transactions.execute(() -> {
            var found = negotiations.findContractAgreement(id);
            if (found != null) {
                return found;
            }
            var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("agreementId", "=", id)).limit(1).build();
            try (var agreements = negotiations.queryAgreements(query)) {
                return agreements.findFirst().orElse(null);
            }
        });
    }

    private String dspAgreementId(String id) {
        var agreement = agreement(id);
        return agreement == null ? id : agreement.getAgreementId() == null ? agreement.getId() : agreement.getAgreementId();
    }

    private OptionalLong limit(String id) {
        var agreement = agreement(id);
        return agreement == null ? OptionalLong.empty() : InferenceRunsConstraintFunction.limit(agreement.getPolicy());
    }

    private static Duration duration(String key, String value) {
        try {
            var duration = Duration.parse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new EdcException("%s: '%s' must be a positive duration".formatted(key, value));
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new EdcException("%s: '%s' is not an ISO 8601 duration (e.g. PT30S)".formatted(key, value));
        }
    }
}
