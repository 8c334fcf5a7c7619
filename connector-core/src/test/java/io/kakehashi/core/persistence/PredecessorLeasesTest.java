package io.kakehashi.core.persistence;

import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.store.sql.SqlDataPlaneStore;
import org.eclipse.edc.connector.dataplane.store.sql.schema.postgres.PostgresDataFlowStatements;
import org.eclipse.edc.json.JacksonTypeManager;
import org.eclipse.edc.junit.annotations.PostgresqlIntegrationTest;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.spi.types.domain.transfer.FlowType;
import org.eclipse.edc.spi.types.domain.transfer.TransferType;
import org.eclipse.edc.sql.SqlQueryExecutor;
import org.eclipse.edc.sql.lease.BaseSqlLeaseStatements;
import org.eclipse.edc.sql.lease.SqlLeaseContextBuilderProviderImpl;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.dataplane.spi.DataFlowStates.STARTED;
import static org.eclipse.edc.spi.persistence.StateEntityStore.hasState;

/**
 * A data flow leased by a run that was then killed, against the tests' PostgreSQL in a schema of its own. EDC 0.15.1
 * gives every start a new runtime id, so its own store keeps the flow from the restarted process until the lease
 * expires; the replica's previous run is known from {@code kakehashi_replica_run}, its leases released at start,
 * and the flow is workable at once, while another replica's lease stays.
 */
@PostgresqlIntegrationTest
class PredecessorLeasesTest {

    private static final String SCHEMA = "predecessor_leases_test";
    private static final String REPLICA = "provider-1";

    private final PostgresTestServer postgres = PostgresTestServer.get();
    private final String database = postgres.testDatabase();
    private final LocalTransactionContext trx = new LocalTransactionContext(new Monitor() { });
    private final LocalDataSourceRegistry registry = new LocalDataSourceRegistry(trx);
    private final SqlQueryExecutor executor = new SqlQueryExecutor();
    private final PredecessorLeases leases = new PredecessorLeases(registry, "default", trx, executor, Clock.systemUTC());

    @BeforeEach
    void emptySchema() {
        postgres.recreateSchema(database, SCHEMA);
        registry.register("default", postgres.dataSource(database, SCHEMA));
    }

    @Test
    void release_whenTheKilledRunOfThisReplicaLeasedAFlow_shouldMakeTheFlowWorkableAtOnce() {
        createSchema();
        assertThat(leases.release(REPLICA, "run-1")).as("the first run has no predecessor").isZero();
        var killedRun = store("run-1");
        var flow = startedPushFlow();
        killedRun.save(flow);
        assertThat(killedRun.nextNotLeased(5, hasState(STARTED.code()))).hasSize(1); // leased, never saved back: killed

        var restarted = store("run-2");
        assertThat(restarted.nextNotLeased(5, hasState(STARTED.code()))).as("EDC alone: blocked until the lease expires").isEmpty();

        assertThat(leases.release(REPLICA, "run-2")).isEqualTo(1);
        assertThat(restarted.nextNotLeased(5, hasState(STARTED.code()))).extracting(DataFlow::getId).containsExactly(flow.getId());
    }

    @Test
    void release_shouldLeaveTheLeasesOfOtherReplicasAndOfItsOwnRun() {
        createSchema();
        leases.release("provider-2", "other-run");
        leases.release(REPLICA, "run-1");
        var otherReplica = store("other-run");
        otherReplica.save(startedPushFlow());
        assertThat(otherReplica.nextNotLeased(5, hasState(STARTED.code()))).hasSize(1);

        assertThat(leases.release(REPLICA, "run-2")).isZero();
        assertThat(leases.release(REPLICA, "run-2")).as("asked again by the same run").isZero();
        assertThat(store("run-2").nextNotLeased(5, hasState(STARTED.code()))).isEmpty();
    }

    @Test
    void release_whenTheSchemaHasNoLeaseTable_shouldReleaseNothing() {
        assertThat(leases.release(REPLICA, "run-1")).isZero();
    }

    private void createSchema() {
        assertThat(new SchemaCreator(registry, "default", trx, executor).create(PostgresStores.SCHEMA_RESOURCES).succeeded()).isTrue();
    }

    private SqlDataPlaneStore store(String runtimeId) {
        var leaseStatements = new BaseSqlLeaseStatements();
        var statements = new PostgresDataFlowStatements(leaseStatements, Clock.systemUTC());
        var leaseContexts = new SqlLeaseContextBuilderProviderImpl(trx, leaseStatements, runtimeId, Clock.systemUTC(), executor);
        return new SqlDataPlaneStore(registry, "default", trx, statements, leaseContexts.createContextBuilder(statements.getDataPlaneTable()),
                new JacksonTypeManager().getMapper(), executor);
    }

    private static DataFlow startedPushFlow() {
        return DataFlow.Builder.newInstance()
                .source(DataAddress.Builder.newInstance().type("HttpData").property("baseUrl", "http://127.0.0.1:1/data").build())
                .destination(DataAddress.Builder.newInstance().type("GrpcStream").build())
                .transferType(new TransferType("GrpcStream", FlowType.PUSH))
                .runtimeId("run-1")
                .state(STARTED.code())
                .properties(Map.of())
                .build();
    }
}
