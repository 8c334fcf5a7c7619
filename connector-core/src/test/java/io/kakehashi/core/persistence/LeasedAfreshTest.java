package io.kakehashi.core.persistence;

import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractOffer;
import org.eclipse.edc.connector.controlplane.store.sql.contractnegotiation.store.SqlContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.store.sql.contractnegotiation.store.schema.postgres.PostgresDialectStatements;
import org.eclipse.edc.json.JacksonTypeManager;
import org.eclipse.edc.junit.annotations.PostgresqlIntegrationTest;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.result.StoreFailure;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.sql.SqlQueryExecutor;
import org.eclipse.edc.sql.lease.BaseSqlLeaseStatements;
import org.eclipse.edc.sql.lease.SqlLeaseContextBuilderProviderImpl;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.AGREED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.TERMINATING;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFIED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFYING;
import static org.eclipse.edc.spi.persistence.StateEntityStore.hasState;

/**
 * A negotiation terminated through the management API while another part of the same connector (a peer's message,
 * the state machine) reads it and waits for its lease, on EDC's PostgreSQL store, in a schema of its own. Each
 * race is made deterministic: the terminating transaction holds its commit until the reader is seen waiting on the
 * lease's row lock. EDC's store hands the reader the copy it read before; {@link LeasedAfresh} hands it what is
 * stored.
 */
@PostgresqlIntegrationTest
class LeasedAfreshTest {

    private static final String SCHEMA = "leased_afresh_test";
    private static final String RUNTIME = "consumer-1";

    private final PostgresTestServer postgres = PostgresTestServer.get();
    private final String database = postgres.testDatabase();
    private final LocalTransactionContext trx = new LocalTransactionContext(new Monitor() { });
    private final LocalDataSourceRegistry registry = new LocalDataSourceRegistry(trx);
    private final SqlQueryExecutor executor = new SqlQueryExecutor();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private ContractNegotiationStore store;

    @BeforeEach
    void schema() {
        postgres.recreateSchema(database, SCHEMA);
        registry.register("default", postgres.dataSource(database, SCHEMA));
        assertThat(new SchemaCreator(registry, "default", trx, executor).create(PostgresStores.SCHEMA_RESOURCES).succeeded()).isTrue();
        var leaseStatements = new BaseSqlLeaseStatements();
        var statements = new PostgresDialectStatements(leaseStatements, Clock.systemUTC());
        var leases = new SqlLeaseContextBuilderProviderImpl(trx, leaseStatements, RUNTIME, Clock.systemUTC(), executor);
        store = new SqlContractNegotiationStore(registry, "default", trx, PostgresStores.withJsonValues(new JacksonTypeManager().getMapper()),
                statements, leases.createContextBuilder(statements.getContractNegotiationTable()), executor);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void findByIdAndLease_whenATerminationCommitsWhileItWaitsForTheLease_edcsStoreShouldHandOutTheStaleCopy() throws Exception {
        var negotiation = saved(VERIFIED);

        var read = whileTerminating(negotiation, () -> store.findByIdAndLease(negotiation.getId()));

        assertThat(ContractNegotiationStates.from(read.getContent().getState())).as("EDC 0.15.1 alone").isEqualTo(VERIFIED);
    }

    @Test
    void findByIdAndLease_whenATerminationCommitsWhileItWaitsForTheLease_shouldHandOutTheTermination() throws Exception {
        var negotiation = saved(VERIFIED);

        var read = whileTerminating(negotiation, () -> LeasedAfresh.findByIdAndLease(store, negotiation.getId()));

        assertThat(read.succeeded()).isTrue();
        assertThat(ContractNegotiationStates.from(read.getContent().getState())).isEqualTo(TERMINATING);
    }

    @Test
    void nextNotLeased_whenTheStateChangedWhileItWaitedForTheLease_shouldLeaveTheEntityOutAndLetItGo() throws Exception {
        var negotiation = saved(AGREED);

        var stale = whileTerminating(negotiation, () -> store.nextNotLeased(5, hasState(AGREED.code())));
        assertThat(stale).as("EDC 0.15.1 alone").extracting(ContractNegotiation::getState).containsExactly(AGREED.code());
        store.save(store.findById(negotiation.getId())); // lets the stale lease go

        var again = saved(AGREED);
        var current = whileTerminating(again, () -> LeasedAfresh.nextNotLeased(store, 5, hasState(AGREED.code())));

        assertThat(current).isEmpty();
        assertThat(ContractNegotiationStates.from(store.findById(again.getId()).getState())).isEqualTo(TERMINATING);
        assertThat(store.findByIdAndLease(again.getId()).succeeded()).as("the lease was let go").isTrue();
    }

    @Test
    void nextNotLeased_whenNothingChanged_shouldHandOutTheLeasedEntities() {
        var negotiation = saved(AGREED);

        var leased = LeasedAfresh.nextNotLeased(store, 5, hasState(AGREED.code()));

        assertThat(leased).extracting(ContractNegotiation::getId).containsExactly(negotiation.getId());
        assertThat(store.findByIdAndLease(negotiation.getId()).failed()).as("still leased to the caller").isTrue();
    }

    @Test
    void findByIdAndLease_whenTheLeaseIsLetGoWithinThePatience_shouldWaitForIt() throws Exception {
        var negotiation = saved(AGREED);
        var heldByTheStateMachine = store.nextNotLeased(5, hasState(AGREED.code())).get(0);
        assertThat(LeasedAfresh.findByIdAndLease(store, negotiation.getId()).reason()).as("no patience")
                .isEqualTo(StoreFailure.Reason.ALREADY_LEASED);

        var letGo = threads.submit(() -> {
            Thread.sleep(200);
            heldByTheStateMachine.transitionVerifying();
            return store.save(heldByTheStateMachine);
        });
        var leased = LeasedAfresh.findByIdAndLease(store, negotiation.getId(), Duration.ofSeconds(5));

        assertThat(letGo.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(leased.succeeded()).isTrue();
        assertThat(ContractNegotiationStates.from(leased.getContent().getState())).as("what the holder saved").isEqualTo(VERIFYING);
    }

    @Test
    void findByIdAndLease_whenTheLeaseOutlastsThePatience_shouldSayItIsLeased() {
        var negotiation = saved(AGREED);
        assertThat(store.nextNotLeased(5, hasState(AGREED.code()))).hasSize(1);

        var leased = LeasedAfresh.findByIdAndLease(store, negotiation.getId(), Duration.ofMillis(100));

        assertThat(leased.reason()).isEqualTo(StoreFailure.Reason.ALREADY_LEASED);
        // which the protocol services turn into "retry later" for the peer rather than EDC's final 409
        assertThat(LeasedAfresh.stillLeased(ServiceResult.from(leased))).isTrue();
        assertThat(LeasedAfresh.stillLeased(ServiceResult.from(LeasedAfresh.findByIdAndLease(store, negotiation.getId()))))
                .as("without patience too").isTrue();
        assertThat(LeasedAfresh.stillLeased(ServiceResult.from(store.findByIdAndLease(negotiation.getId())))).as("EDC's own answer").isFalse();
    }

    /**
     * Terminates the negotiation in a transaction (as the management API's command does: lease, transition, save)
     * and holds its commit until {@code reader}, run meanwhile on another thread, waits on the lease; returns what the
     * reader got once the termination committed.
     */
    private <T> T whileTerminating(ContractNegotiation negotiation, Callable<T> reader) throws Exception {
        var saved = new CountDownLatch(1);
        var commit = new CountDownLatch(1);
        Future<?> terminator = threads.submit(() -> trx.execute(() -> {
            StoreResult<ContractNegotiation> leased = store.findByIdAndLease(negotiation.getId());
            var terminating = leased.getContent();
            terminating.transitionTerminating("the consumer withdraws");
            store.save(terminating);
            saved.countDown();
            await(commit);
        }));
        assertThat(saved.await(10, TimeUnit.SECONDS)).isTrue();
        Future<T> result = threads.submit(() -> trx.execute(() -> {
            try {
                return reader.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        awaitWaitingOnALock();
        commit.countDown();
        terminator.get(10, TimeUnit.SECONDS);
        return result.get(10, TimeUnit.SECONDS);
    }

    private void awaitWaitingOnALock() throws SQLException, InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (var connection = postgres.connect(database);
             var statement = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            while (System.nanoTime() < deadline) {
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the reader never waited on the lease");
    }

    private ContractNegotiation saved(ContractNegotiationStates state) {
        var negotiation = ContractNegotiation.Builder.newInstance()
                .id(UUID.randomUUID().toString())
                .correlationId(UUID.randomUUID().toString())
                .counterPartyId("did:web:provider.example")
                .counterPartyAddress("http://provider.example/protocol")
                .protocol("dataspace-protocol-http:2025-1")
                .type(ContractNegotiation.Type.CONSUMER)
                .participantContextId("consumer")
                .state(state.code())
                .contractOffers(List.of(ContractOffer.Builder.newInstance().id("offer-" + UUID.randomUUID()).assetId("asset")
                        .policy(Policy.Builder.newInstance().build()).build()))
                .build();
        store.save(negotiation);
        return negotiation;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
