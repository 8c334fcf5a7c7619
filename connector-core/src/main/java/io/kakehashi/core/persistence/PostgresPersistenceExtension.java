package io.kakehashi.core.persistence;

import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.offer.store.ContractDefinitionStore;
import org.eclipse.edc.connector.controlplane.policy.spi.store.PolicyDefinitionStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.dataplane.selector.spi.store.DataPlaneInstanceStore;
import org.eclipse.edc.connector.controlplane.asset.spi.index.DataAddressResolver;
import org.eclipse.edc.connector.dataplane.spi.store.AccessTokenDataStore;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorStore;
import org.eclipse.edc.edr.spi.store.EndpointDataReferenceEntryIndex;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.sql.lease.spi.SqlLeaseContextBuilderProvider;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.time.Clock;

/**
 * Chooses where the connector keeps its state. Without a datasource URL state is kept in memory (the embedded
 * default): EDC's in-memory stores, except the asset index and the stores of stateful entities, which are indexed
 * ({@link IndexedInMemoryAssetIndex}, {@link IndexedInMemoryStateStore}). When {@code edc.datasource.default.url} is set, every EDC store of
 * the control plane and the embedded data plane is EDC's PostgreSQL implementation on that datasource, and the
 * schema is created at start.
 */
@Extension(PostgresPersistenceExtension.NAME)
@Provides({
        AssetIndex.class, DataAddressResolver.class, ContractDefinitionStore.class, PolicyDefinitionStore.class,
        ContractNegotiationStore.class, TransferProcessStore.class, PolicyMonitorStore.class, DataPlaneInstanceStore.class,
        EndpointDataReferenceEntryIndex.class, JtiValidationStore.class, DataPlaneStore.class, AccessTokenDataStore.class
})
public class PostgresPersistenceExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi persistence";
    public static final String URL_KEY = "edc.datasource.default.url";
    public static final String SCHEMA_CREATE_KEY = "kakehashi.persistence.schema.create";
    public static final String REPLICA_ID_KEY = "kakehashi.replica.id";

    @Setting(key = URL_KEY, required = false,
            description = "JDBC URL of the PostgreSQL database. When set, every store is PostgreSQL; when absent, state is kept in memory")
    private String url;

    @Setting(key = REPLICA_ID_KEY, required = false,
            description = "This process's name among the replicas sharing the database, the same across its restarts and unique per replica: "
                    + "at start it releases the leases its previous run held (EDC's runtime id is new at every start)")
    private String replicaId;

    @Setting(key = SCHEMA_CREATE_KEY, defaultValue = "true",
            description = "Create the tables (if they do not exist) at start. Turn off when a migration tool owns the schema")
    private boolean createSchema;

    @Inject
    private DataSourceRegistry dataSourceRegistry;
    @Inject
    private TransactionContext transactionContext;
    @Inject
    private QueryExecutor queryExecutor;
    @Inject
    private TypeManager typeManager;
    @Inject
    private CriterionOperatorRegistry criterionOperatorRegistry;
    @Inject
    private Clock clock;
    @Inject
    private SqlLeaseContextBuilderProvider leaseProvider;

    private boolean postgres;
    private String runtimeId;
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (url == null || url.isBlank()) {
            // EDC's in-memory stores, but an asset index whose lookup by id does not scan every asset, and stateful
            // entities indexed by state, so that a state machine's iteration does not test every process ever held
            var assetIndex = new IndexedInMemoryAssetIndex(criterionOperatorRegistry);
            context.registerService(AssetIndex.class, assetIndex);
            context.registerService(DataAddressResolver.class, assetIndex);
            var leaseHolder = context.getRuntimeId();
            context.registerService(ContractNegotiationStore.class, new IndexedInMemoryContractNegotiationStore(leaseHolder, clock, criterionOperatorRegistry));
            context.registerService(TransferProcessStore.class, new IndexedInMemoryTransferProcessStore(leaseHolder, clock, criterionOperatorRegistry));
            context.registerService(DataPlaneStore.class, new IndexedInMemoryDataPlaneStore(leaseHolder, clock, criterionOperatorRegistry));
            context.registerService(PolicyMonitorStore.class, new IndexedInMemoryPolicyMonitorStore(leaseHolder, clock, criterionOperatorRegistry));
            context.getMonitor().info("Persistence: in memory (set '%s' to use PostgreSQL)".formatted(URL_KEY));
            return;
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new EdcException("Invalid setting '%s': expected a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)".formatted(URL_KEY));
        }
        postgres = true;
        runtimeId = context.getRuntimeId();
        monitor = context.getMonitor();
        new PostgresStores(dataSourceRegistry, DataSourceRegistry.DEFAULT_DATASOURCE, transactionContext, queryExecutor,
                PostgresStores.withJsonValues(typeManager.getMapper()), clock, leaseProvider, context.getMonitor())
                .registerAll(context);
        context.getMonitor().info("Persistence: PostgreSQL");
    }

    @Override
    public void prepare() {
        if (postgres && createSchema) {
            new SchemaCreator(dataSourceRegistry, DataSourceRegistry.DEFAULT_DATASOURCE, transactionContext, queryExecutor)
                    .create(PostgresStores.SCHEMA_RESOURCES)
                    .orElseThrow(failure -> new EdcException("Cannot create the PostgreSQL schema: " + failure.getFailureDetail()));
        }
        if (postgres && (replicaId == null || replicaId.isBlank())) {
            monitor.info("Persistence: '%s' is not set, so a restarted connector waits up to 60 s for the leases its previous run held"
                    .formatted(REPLICA_ID_KEY));
        } else if (postgres) {
            // before any state machine starts, and before EDC's one restart of interrupted PUSH flows
            var released = new PredecessorLeases(dataSourceRegistry, DataSourceRegistry.DEFAULT_DATASOURCE, transactionContext, queryExecutor, clock)
                    .release(replicaId.trim(), runtimeId);
            if (released > 0) {
                monitor.info("Persistence: released %d lease(s) left by the previous run of replica '%s'".formatted(released, replicaId.trim()));
            }
        }
    }
}
