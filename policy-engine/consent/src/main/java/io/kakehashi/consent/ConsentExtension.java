package io.kakehashi.consent;

import io.kakehashi.consent.withdrawal.HttpNoticeSender;
import io.kakehashi.consent.withdrawal.SubjectRecordsDeletion;
import io.kakehashi.consent.withdrawal.WithdrawalController;
import io.kakehashi.consent.withdrawal.WithdrawalNotifier;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.deletion.DeletionExtension;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.LineageStore;
import io.kakehashi.lineage.provenance.DidSignerKeys;
import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.consent.sql.PostgresConsentStore;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.kakehashi.core.spi.settings.SettingValues;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Consent for personal data (issue 20 item 5, docs/decisions/0045), at the holder: the consent register (a JSON Lines
 * file in the embedded default, PostgreSQL when the connector has a default data source) and its management API;
 * the {@link ConsentFilter} the data plane and the compute extension pass an asset's content through; and the
 * pre-validator of the transfer and compute scopes that keeps consumers' verified claims and refuses a personal-data
 * asset under an agreement without a purpose. A withdrawal is sent to every consumer of the subject's records (as
 * provider), and a provider's withdrawal notice is received on the protocol context, the subject's records deleted from
 * what arrived and a signed deletion receipt answered (as consumer).
 */
@Extension(ConsentExtension.NAME)
@Provides({ConsentFilter.class, ConsentStore.class})
public class ConsentExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi consent for personal data";
    static final String DIRECTORY_KEY = "kakehashi.consent.dir";
    static final String RETRY_KEY = "kakehashi.consent.notice-retry";

    @Setting(key = DIRECTORY_KEY, defaultValue = "kakehashi-data/consent",
            description = "Directory of the consent register in the embedded default (consents.jsonl); unused with PostgreSQL")
    private String directory;
    @Setting(key = RETRY_KEY, defaultValue = "PT1M",
            description = "How often (ISO 8601 duration) withdrawal notices that could not be delivered are sent again")
    private String retry;

    @Inject
    private AssetIndex assets;
    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private TransactionContext transactions;
    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private JurisdictionGroups groups;
    @Inject
    private DecisionRecorder decisions;
    @Inject
    private WebService webService;
    @Inject
    private TypeManager typeManager;
    @Inject
    private Clock clock;
    @Inject(required = false)
    private OpenApiDocuments openApi;
    @Inject
    private LineageStore lineage;
    @Inject
    private ConnectorSigningKey signingKey;
    @Inject
    private EdcHttpClient httpClient;
    @Inject(required = false)
    private DidResolverRegistry didResolvers;
    @Inject
    private Monitor monitor;

    @Setting(key = "edc.participant.id", description = "This connector's participant id (its DID)")
    private String participantId;

    private PostgresConsentStore postgres;
    private WithdrawalNotifier notifier;
    private Duration retryPeriod;
    private ScheduledExecutorService scheduler;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        retryPeriod = SettingValues.require(SettingValues.positiveDuration(RETRY_KEY, retry));
        var mapper = typeManager.getMapper();
        postgres = TransactionalDatabase.ofDefaultDataSource(context.getConfig(), dataSourceRegistry, transactions, "Consent")
                .map(PostgresConsentStore::new).orElse(null);
        ConsentStore store = postgres != null ? postgres : new FileConsentStore(Path.of(directory), mapper);
        context.registerService(ConsentStore.class, store);

        var rules = new ConsentRules(groups);
        var claims = ConsentUseRule.claimsMap();
        var filter = new ConsentNarrowing(this::subjectField, this::agreementByAnyId, claims::get, store, rules, new PersonalRecords(mapper), decisions, clock);
        context.registerService(ConsentFilter.class, filter);
        policyEngine.registerPreValidator(TransferProcessPolicyContext.class,
                new ConsentUseRule<TransferProcessPolicyContext>(filter::appliesTo, claims));
        policyEngine.registerPreValidator(ComputePolicyContext.class, new ConsentUseRule<ComputePolicyContext>(filter::appliesTo, claims));

        // a withdrawal: the provider tells each consumer of the subject's records; the consumer deletes them and signs a receipt
        SignerKeys keys = didResolvers != null ? new DidSignerKeys(didResolvers)
                : (participant, keyId) -> Result.failure("this connector resolves no DIDs, so it cannot verify the counterparty's key");
        notifier = new WithdrawalNotifier(participantId, store, rules, this::agreement, this::subjectField, claims::get, this::consumerAddress,
                new HttpNoticeSender(httpClient, mapper), signingKey, keys, decisions, clock, monitor.withPrefix("consent"));
        webService.registerResource(ApiContext.MANAGEMENT, new ConsentApiController(store, rules, id -> assets.findById(id) != null, notifier::withdrawn,
                mapper, clock));
        var deletion = new SubjectRecordsDeletion(participantId, this::agreementByAnyId, keys, lineage, new PersonalRecords(mapper), signingKey, decisions,
                clock);
        webService.registerResource(ApiContext.PROTOCOL, new WithdrawalController(deletion, mapper));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "consents", ConsentExtension.class, "/openapi/consents.json");
        }
    }

    @Override
    public void prepare() {
        if (postgres != null) {
            // the pool registers the data source during initialisation, so the tables are made once it is there
            postgres.createSchema();
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-consent-notices");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::resendPending, retryPeriod.toMillis(), retryPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void resendPending() {
        try {
            notifier.resendPending();
        } catch (RuntimeException e) {
            // the next round tries again; a store or peer failure must not end the schedule
            monitor.warning("Withdrawal notices could not be sent again: " + e.getClass().getSimpleName());
        }
    }

    /** The data-subject field an asset declares; empty for an asset without one, or one this connector does not hold. */
    private Optional<String> subjectField(String assetId) {
        var asset = assetId == null ? null : assets.findById(assetId);
        if (asset == null) {
            return Optional.empty();
        }
        // a declaration that does not read as text still declares personal data: its records then match no field and none leaves
        return ConsentFilter.declaredSubjectField(asset.getProperty(ConsentNarrowing.SUBJECT_FIELD));
    }

    // this connector's id of an agreement: deliveries keep it
    private ContractAgreement agreement(String id) {
        return transactions.execute(() -> negotiations.findContractAgreement(id));
    }

    // this connector's or the protocol's id of an agreement
    private ContractAgreement agreementByAnyId(String id) {
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

    // the consumer's protocol context: the negotiation's counterparty address without its DSP version segment
    private String consumerAddress(String agreementId) {
        var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("contractAgreement.id", "=", agreementId)).limit(1).build();
        var address = transactions.execute(() -> {
            try (var found = negotiations.queryNegotiations(query)) {
                return found.findFirst().map(ContractNegotiation::getCounterPartyAddress).orElse(null);
            }
        });
        return address == null ? null : DeletionExtension.protocolBase(address);
    }
}
