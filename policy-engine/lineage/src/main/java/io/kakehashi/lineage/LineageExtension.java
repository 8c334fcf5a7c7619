package io.kakehashi.lineage;

import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.provenance.DidSignerKeys;
import io.kakehashi.lineage.provenance.ProvenanceApiController;
import io.kakehashi.lineage.provenance.ProvenanceController;
import io.kakehashi.lineage.provenance.ProvenanceSender;
import io.kakehashi.lineage.provenance.ProvenanceStore;
import io.kakehashi.lineage.provenance.SignerKeys;
import io.kakehashi.lineage.spi.ReceivedContents;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.TypeManager;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.kakehashi.lineage.sql.PostgresLineageStore;
import io.kakehashi.policy.constraints.onward.OnwardTransferRule;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.transfer.spi.observe.TransferProcessObservable;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.time.Clock;

/**
 * Lineage at the consumer and the enforcement of the onward-transfer constraints it agreed to (issue 20, items 1
 * and 2; docs/decisions/0034): records what every completed consumer transfer delivered, checks assets that declare
 * or point at what was received, refuses negotiations and transfers of such assets to counterparties the agreements
 * behind them do not allow, and serves the lineage on the management API. The store follows the datasource
 * (decision 0001): PostgreSQL with {@value #DATASOURCE_URL_KEY} set, in memory otherwise.
 */
@Extension(LineageExtension.NAME)
@Provides({LineageStore.class, ReceivedContents.class})
public class LineageExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi lineage and onward transfer";
    static final String DATASOURCE_URL_KEY = TransactionalDatabase.DEFAULT_DATASOURCE_URL;

    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject
    private TransactionContext transactions;
    @Inject
    private TransferProcessObservable transferObservable;
    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private AssetIndex assets;
    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private JsonObjectValidatorRegistry validators;
    @Inject
    private WebService webService;
    @Inject
    private OnwardTransferRule onwardRule;
    @Inject
    private Clock clock;
    @Inject(required = false)
    private OpenApiDocuments openApi;
    @Inject
    private ConnectorSigningKey signingKey;
    @Inject
    private EdcHttpClient httpClient;
    @Inject(required = false)
    private DidResolverRegistry didResolvers;
    @Inject
    private TypeManager typeManager;

    @Setting(key = "edc.participant.id", description = "This connector's participant id (its DID)")
    private String participantId;

    private PostgresLineageStore postgres;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        LineageStore store;
        postgres = TransactionalDatabase.ofDefaultDataSource(context.getConfig(), dataSourceRegistry, transactions, "Lineage")
                .map(PostgresLineageStore::new).orElse(null);
        if (postgres != null) {
            store = postgres;
            context.getMonitor().info("Lineage: PostgreSQL");
        } else {
            store = new InMemoryLineageStore();
            context.getMonitor().warning("Lineage records are kept in memory: a restart forgets where received data came from");
        }
        context.registerService(LineageStore.class, store);
        var contents = new ReceivedContents();
        context.registerService(ReceivedContents.class, contents);

        transferObservable.registerListener(new LineageRecorder(store, contents, negotiations, transactions, clock, context.getMonitor()));
        var lineage = new AssetLineage(store, this::agreement, onwardRule.rule());
        policyEngine.registerPreValidator(ContractNegotiationPolicyContext.class,
                new OnwardTransferGuard<ContractNegotiationPolicyContext>(assets, lineage, (policy, c) -> policy.getTarget()));
        policyEngine.registerPreValidator(TransferProcessPolicyContext.class, new OnwardTransferGuard<TransferProcessPolicyContext>(assets, lineage,
                (policy, c) -> c.contractAgreement() == null ? null : c.contractAgreement().getAssetId()));
        validators.register(Asset.EDC_ASSET_TYPE, new DerivedAssetValidator(lineage));
        // provenance statements: sent with what this connector passes on, checked and kept when it receives one
        var mapper = typeManager.getMapper();
        transferObservable.registerListener(new ProvenanceSender(participantId, assets, lineage, this::agreement, signingKey, httpClient, mapper, clock,
                context.getMonitor()));
        var provenance = new ProvenanceStore();
        SignerKeys keys = didResolvers != null ? new DidSignerKeys(didResolvers)
                : (participant, keyId) -> Result.failure("this connector resolves no DIDs, so it cannot verify the provider's key");
        webService.registerResource(ApiContext.PROTOCOL, new ProvenanceController(participantId, id -> agreement(localAgreementId(id)), keys, provenance, mapper));
        webService.registerResource(ApiContext.MANAGEMENT, new ProvenanceApiController(provenance, this::localAgreementId));
        webService.registerResource(ApiContext.MANAGEMENT, new LineageApiController(store, assets, lineage, this::localAgreementId));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "lineage", LineageExtension.class, "/openapi/lineage.json");
        }
    }

    @Override
    public void prepare() {
        if (postgres != null) {
            // the pool registers the data source during initialisation, so the table is made once it is there
            postgres.createSchema();
        }
    }

    private ContractAgreement agreement(String id) {
        return transactions.execute(() -> negotiations.findContractAgreement(id));
    }

    // each side keeps the agreement under its own id; both know the protocol's agreementId
    private String localAgreementId(String id) {
        return transactions.execute(() -> {
            if (negotiations.findContractAgreement(id) != null) {
                return id;
            }
            var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("agreementId", "=", id)).limit(1).build();
            try (var found = negotiations.queryAgreements(query)) {
                return found.findFirst().map(ContractAgreement::getId).orElse(id);
            }
        });
    }
}
