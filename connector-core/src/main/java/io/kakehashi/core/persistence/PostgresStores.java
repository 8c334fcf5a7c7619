package io.kakehashi.core.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsonp.JSONPModule;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.offer.store.ContractDefinitionStore;
import org.eclipse.edc.connector.controlplane.policy.spi.store.PolicyDefinitionStore;
import org.eclipse.edc.connector.controlplane.store.sql.assetindex.SqlAssetIndex;
import org.eclipse.edc.connector.controlplane.store.sql.contractdefinition.SqlContractDefinitionStore;
import org.eclipse.edc.connector.controlplane.store.sql.contractnegotiation.store.SqlContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.store.sql.policydefinition.store.SqlPolicyDefinitionStore;
import org.eclipse.edc.connector.controlplane.store.sql.transferprocess.store.SqlTransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.dataplane.selector.spi.store.DataPlaneInstanceStore;
import org.eclipse.edc.connector.dataplane.selector.store.sql.SqlDataPlaneInstanceStore;
import org.eclipse.edc.connector.dataplane.selector.store.sql.schema.postgres.PostgresDataPlaneInstanceStatements;
import org.eclipse.edc.connector.controlplane.asset.spi.index.DataAddressResolver;
import org.eclipse.edc.connector.dataplane.spi.store.AccessTokenDataStore;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.connector.dataplane.store.sql.SqlAccessTokenDataStore;
import org.eclipse.edc.connector.dataplane.store.sql.SqlDataPlaneStore;
import org.eclipse.edc.connector.dataplane.store.sql.schema.postgres.PostgresAccessTokenDataStatements;
import org.eclipse.edc.connector.dataplane.store.sql.schema.postgres.PostgresDataFlowStatements;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorStore;
import org.eclipse.edc.connector.policy.monitor.store.sql.SqlPolicyMonitorStore;
import org.eclipse.edc.connector.policy.monitor.store.sql.schema.PostgresPolicyMonitorStatements;
import org.eclipse.edc.edr.spi.store.EndpointDataReferenceEntryIndex;
import org.eclipse.edc.edr.store.index.SqlEndpointDataReferenceEntryIndex;
import org.eclipse.edc.jtivalidation.store.sql.SqlJtiValidationStore;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.sql.lease.spi.SqlLeaseContextBuilderProvider;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.time.Clock;
import java.util.List;

/**
 * Builds EDC's PostgreSQL store implementations on one datasource, with EDC's PostgreSQL dialects, and registers them
 * in place of the in-memory defaults. Used once, at start-up.
 */
final class PostgresStores {

    /**
     * Makes {@code mapper} write JSON-P values (jakarta.json) as the JSON they are, and returns it. A policy's right
     * operand may hold them — a list operand such as {@code isAnyOf ["analytics", "ai.training"]} arrives from the
     * management API as JSON-LD value objects — and without this EDC's default mapper writes each as a bean
     * ({@code {"string": "analytics", "chars": …, "valueType": "STRING"}}), which no constraint function reads back
     * after a restart. EDC's default mapper is changed in place (not copied) so that the types other extensions
     * register with it later still apply to these stores.
     */
    static ObjectMapper withJsonValues(ObjectMapper mapper) {
        // Jackson ignores a second registration of the same module
        return mapper.registerModule(new JSONPModule());
    }

    /** The schema files that EDC's SQL store modules ship, in an order that respects their references. */
    static final List<String> SCHEMA_RESOURCES = List.of(
            "asset-index-schema.sql",
            "contract-definition-schema.sql",
            "policy-definition-schema.sql",
            "contract-negotiation-schema.sql",
            "transfer-process-schema.sql",
            "policy-monitor-schema.sql",
            "dataplane-instance-schema.sql",
            "edr-index-schema.sql",
            "jti-validation-schema.sql",
            "dataplane-schema.sql",
            "accesstoken-data-schema.sql",
            "replica-run-schema.sql");

    private final DataSourceRegistry registry;
    private final String dataSource;
    private final TransactionContext trx;
    private final QueryExecutor executor;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final SqlLeaseContextBuilderProvider leases;
    private final Monitor monitor;

    PostgresStores(DataSourceRegistry registry, String dataSource, TransactionContext trx, QueryExecutor executor,
                   ObjectMapper mapper, Clock clock, SqlLeaseContextBuilderProvider leases, Monitor monitor) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.trx = trx;
        this.executor = executor;
        this.mapper = mapper;
        this.clock = clock;
        this.leases = leases;
        this.monitor = monitor;
    }

    void registerAll(ServiceExtensionContext context) {
        var assetIndex = new SqlAssetIndex(registry, dataSource, trx, mapper,
                new org.eclipse.edc.connector.controlplane.store.sql.assetindex.schema.postgres.PostgresDialectStatements(), executor);
        context.registerService(AssetIndex.class, assetIndex);
        context.registerService(DataAddressResolver.class, assetIndex);

        context.registerService(ContractDefinitionStore.class, new SqlContractDefinitionStore(registry, dataSource, trx,
                new org.eclipse.edc.connector.controlplane.store.sql.contractdefinition.schema.postgres.PostgresDialectStatements(),
                mapper, executor));

        context.registerService(PolicyDefinitionStore.class, new SqlPolicyDefinitionStore(registry, dataSource, trx, mapper,
                new org.eclipse.edc.connector.controlplane.store.sql.policydefinition.store.schema.postgres.PostgresDialectStatements(),
                executor));

        var negotiationStatements = new org.eclipse.edc.connector.controlplane.store.sql.contractnegotiation.store.schema.postgres.PostgresDialectStatements(
                leases.getStatements(), clock);
        context.registerService(ContractNegotiationStore.class, new SqlContractNegotiationStore(registry, dataSource, trx, mapper,
                negotiationStatements, leases.createContextBuilder(negotiationStatements.getContractNegotiationTable()), executor));

        var transferStatements = new org.eclipse.edc.connector.controlplane.store.sql.transferprocess.store.schema.postgres.PostgresDialectStatements(
                leases.getStatements(), clock);
        context.registerService(TransferProcessStore.class, new SqlTransferProcessStore(registry, dataSource, trx, mapper,
                transferStatements, leases.createContextBuilder(transferStatements.getTransferProcessTableName()), executor));

        var monitorStatements = new PostgresPolicyMonitorStatements(leases.getStatements(), clock);
        context.registerService(PolicyMonitorStore.class, new SqlPolicyMonitorStore(registry, dataSource, trx, monitorStatements,
                leases.createContextBuilder(monitorStatements.getPolicyMonitorTable()), mapper, executor, context.getRuntimeId()));

        var instanceStatements = new PostgresDataPlaneInstanceStatements(leases.getStatements(), clock);
        context.registerService(DataPlaneInstanceStore.class, new SqlDataPlaneInstanceStore(registry, dataSource, trx, instanceStatements,
                leases.createContextBuilder(instanceStatements.getDataPlaneInstanceTable()), mapper, executor));

        context.registerService(EndpointDataReferenceEntryIndex.class, new SqlEndpointDataReferenceEntryIndex(registry, dataSource, trx, mapper,
                new org.eclipse.edc.edr.store.index.sql.schema.postgres.PostgresDialectStatements(), executor));

        context.registerService(JtiValidationStore.class, new SqlJtiValidationStore(registry, dataSource, trx, mapper,
                new org.eclipse.edc.jtivalidation.store.sql.schema.postgres.PostgresDialectStatements(), executor, monitor));

        var flowStatements = new PostgresDataFlowStatements(leases.getStatements(), clock);
        context.registerService(DataPlaneStore.class, new SqlDataPlaneStore(registry, dataSource, trx, flowStatements,
                leases.createContextBuilder(flowStatements.getDataPlaneTable()), mapper, executor));

        context.registerService(AccessTokenDataStore.class, new SqlAccessTokenDataStore(registry, dataSource, trx,
                new PostgresAccessTokenDataStatements(), mapper, executor));
    }
}
