package io.kakehashi.deletion;

import io.kakehashi.lineage.provenance.DidSignerKeys;
import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.deletion.sql.PostgresDeletionStore;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.LineageStore;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Deletion confirmed (issue 20 item 6, docs/decisions/0040). As a consumer: every {@value #INTERVAL_KEY} the agreements
 * it consumes under a deletion duty are checked; at the deadline, or once the agreement is terminated, what the lineage
 * says arrived under it is deleted, a receipt signed with the connector's signing key (its DID key) is recorded in the
 * decision log and sent to the provider's protocol address. As a provider: receipts are received beside DSP, verified
 * against the consumer's DID document, kept and recorded; deletions past their deadline without a receipt show as
 * OVERDUE on the management and auditor APIs. The records are a JSON Lines file in the embedded default, PostgreSQL
 * when the connector has a default data source (shared by its replicas).
 */
@Extension(DeletionExtension.NAME)
public class DeletionExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi deletion confirmed";
    static final String INTERVAL_KEY = "kakehashi.deletion.check-interval";
    static final String DIRECTORY_KEY = "kakehashi.deletion.dir";
    static final String AUDITOR_CONTEXT = "auditor";
    private static final int PAGE = 500;

    @Setting(key = "edc.participant.id", description = "This connector's participant id (its DID)")
    private String participantId;
    @Setting(key = DIRECTORY_KEY, defaultValue = "kakehashi-data/deletion",
            description = "Directory of the deletion receipts this connector signed or kept (deletions.jsonl); unused with PostgreSQL")
    private String directory;
    @Setting(key = INTERVAL_KEY, defaultValue = "PT1M",
            description = "How often (ISO 8601 duration) the consumer checks its deletion deadlines and sends receipts not yet delivered")
    private String interval;

    @Inject
    private LineageStore lineage;
    @Inject
    private ConnectorSigningKey signingKey;
    @Inject
    private DecisionRecorder decisions;
    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private TransactionContext transactions;
    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject
    private AgreementStatus agreementStatus;
    @Inject
    private EdcHttpClient httpClient;
    @Inject(required = false)
    private DidResolverRegistry didResolvers;
    @Inject
    private WebService webService;
    @Inject
    private TypeManager typeManager;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;
    @Inject(required = false)
    private OpenApiDocuments openApi;

    private ScheduledExecutorService scheduler;
    private PostgresDeletionStore postgres;
    private ConsumerDeletionCheck check;
    private Duration period;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        period = parseInterval(interval);
        var mapper = typeManager.getMapper();
        postgres = TransactionalDatabase.ofDefaultDataSource(context.getConfig(), dataSourceRegistry, transactions, "Deletion")
                .map(PostgresDeletionStore::new).orElse(null);
        DeletionStore store = postgres != null ? postgres : new FileDeletionStore(Path.of(directory), mapper);
        SignerKeys keys = didResolvers != null ? new DidSignerKeys(didResolvers)
                : (participant, keyId) -> Result.failure("this connector resolves no DIDs, so it cannot verify the consumer's key");

        var deletion = new ConsumerDeletion(lineage, signingKey, decisions, store, clock);
        check = new ConsumerDeletionCheck(participantId, this::agreements, agreementStatus, deletion, store, new HttpReceiptSender(httpClient, mapper),
                this::providerAddress, clock, monitor);
        var acceptance = new ReceiptAcceptance(participantId, this::find, keys, decisions, store, clock);
        webService.registerResource(ApiContext.PROTOCOL, new ReceiptController(acceptance, mapper));
        var statuses = new DeletionStatuses(participantId, this::agreements, store, clock);
        webService.registerResource(ApiContext.MANAGEMENT, new DeletionApiController.Management(statuses, this::find));
        webService.registerResource(AUDITOR_CONTEXT, new DeletionApiController.Auditor(statuses, this::find));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "deletions", DeletionExtension.class, "/openapi/deletions.json");
            openApi.register(AUDITOR_CONTEXT, "deletions", DeletionExtension.class, "/openapi/deletions-auditor.json");
        }
    }

    @Override
    public void prepare() {
        if (postgres != null) {
            // the pool registers the data source during initialisation, so the table is made once it is there
            postgres.createSchema();
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-deletion");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    static Duration parseInterval(String value) {
        try {
            var duration = Duration.parse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new EdcException("Invalid setting '%s': '%s' is not a positive duration".formatted(INTERVAL_KEY, value));
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new EdcException("Invalid setting '%s': '%s' is not an ISO 8601 duration".formatted(INTERVAL_KEY, value));
        }
    }

    // every agreement, read page by page inside one transaction each
    private Stream<ContractAgreement> agreements() {
        var all = new ArrayList<ContractAgreement>();
        for (var offset = 0; ; offset += PAGE) {
            var query = QuerySpec.Builder.newInstance().offset(offset).limit(PAGE).build();
            List<ContractAgreement> page = transactions.execute(() -> {
                try (var found = negotiations.queryAgreements(query)) {
                    return found.toList();
                }
            });
            all.addAll(page);
            if (page.size() < PAGE) {
                return all.stream();
            }
        }
    }

    // this connector's or the protocol's id of an agreement
    private ContractAgreement find(String id) {
        return transactions.execute(() -> {
            var local = negotiations.findContractAgreement(id);
            if (local != null) {
                return local;
            }
            var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("agreementId", "=", id)).limit(1).build();
            try (var found = negotiations.queryAgreements(query)) {
                return found.findFirst().orElse(null);
            }
        });
    }

    // the provider's protocol context: the negotiation's DSP address without its version segment
    private String providerAddress(String agreementId) {
        var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("contractAgreement.id", "=", agreementId)).limit(1).build();
        var address = transactions.execute(() -> {
            try (var found = negotiations.queryNegotiations(query)) {
                return found.findFirst().map(ContractNegotiation::getCounterPartyAddress).orElse(null);
            }
        });
        return address == null ? null : protocolBase(address);
    }

    /** A DSP address without its version segment: the protocol context that Kakehashi's own paths sit beside. */
    public static String protocolBase(String dspAddress) {
        var address = dspAddress.endsWith("/") ? dspAddress.substring(0, dspAddress.length() - 1) : dspAddress;
        var slash = address.lastIndexOf('/');
        if (slash > "https://".length() && address.substring(slash + 1).matches("\\d{4}-\\d+|v\\d+(\\.\\d+)*")) {
            address = address.substring(0, slash);
        }
        return address;
    }
}
