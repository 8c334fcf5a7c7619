package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.PostgresTestServer;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationAgreed;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Receipts survive a restart of the connector that issued them (docs/decisions/0039, amendment of 2026-12-07): the
 * provider agrees while the consumer's connector cannot be reached, the provider's runtime is stopped after a failed
 * attempt and started again, the consumer's connector comes up, and the receipt — signed before the stop, kept in the
 * outbox — reaches it, verifies against the provider's log, and is not sent again by a later start. With the files of
 * the embedded default and with PostgreSQL.
 */
@ComponentTest
class ReceiptsAfterRestartRuntimeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private final ECKey key = generate();
    private final int consumerPort = Ports.freePort();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private EmbeddedRuntime runtime;
    private HttpServer consumer;

    @AfterEach
    void stop() {
        if (runtime != null && runtime.isRunning()) {
            runtime.shutdown();
        }
        if (consumer != null) {
            consumer.stop(0);
        }
    }

    @Test
    void aReceiptNotDeliveredBeforeARestart_shouldBeDeliveredAfterIt_onFiles() throws Exception {
        var settings = settings();
        settings.put("kakehashi.decisionlog.dir", directory.resolve("decision-log").toString());
        settings.put("kakehashi.outbox.dir", directory.resolve("outbox").toString());

        aReceiptNotDeliveredBeforeARestart_shouldBeDeliveredAfterIt(settings);
    }

    @Test
    void aReceiptNotSignedBeforeAStop_shouldBeSignedAndSentOnceByTheNextStart() throws Exception {
        var settings = settings();
        settings.put("kakehashi.decisionlog.dir", directory.resolve("decision-log").toString());
        settings.put("kakehashi.outbox.dir", directory.resolve("outbox").toString());
        // no head before the stop: the receipt waits as a draft (the stop signs the head, after the issuer stopped)
        settings.put("kakehashi.decisionlog.checkpoint.entries", "1000");
        settings.put("kakehashi.decisionlog.checkpoint.within", "PT10M");
        boot(settings);
        var negotiation = agreed();
        var outbox = runtime.getService(StatementOutbox.class);
        await().atMost(WAIT).until(() -> outbox.pending(ReceiptIssuer.DRAFT_KIND).size() == 1
                && runtime.getService(DecisionLogStore.class).head().sequence() >= 1);
        assertThat(outbox.pending(ReceiptIssuer.KIND)).isEmpty();
        runtime.shutdown();

        startConsumer();
        boot(settings);

        await().atMost(WAIT).until(() -> received.size() >= 1);
        var receipt = Receipts.verify(MAPPER.readTree(received.get(0)).path("receipt").asText(), kid -> Optional.of(key.toPublicJWK()), Instant.now());
        assertThat(receipt.event()).isEqualTo("negotiation.agreed");
        assertThat(receipt.issuerProcessId()).isEqualTo(negotiation.getId());
        assertThat(runtime.getService(DecisionLogStore.class).read(receipt.sequence()).getContent().hash()).isEqualTo(receipt.entryHash());
        await().atMost(WAIT).until(() -> runtime.getService(StatementOutbox.class).pending(ReceiptIssuer.KIND).isEmpty());
        assertThat(runtime.getService(StatementOutbox.class).pending(ReceiptIssuer.DRAFT_KIND)).isEmpty();
        runtime.shutdown();

        boot(settings);
        // the start's passes run at once; give them time to do what they (wrongly) would
        Thread.sleep(1500);
        assertThat(received).hasSize(1);
    }

    @Nested
    @Tag("PostgresqlIntegrationTest")
    class OnPostgresql {

        private static final String SCHEMA = "receipts_after_restart_test";

        @AfterEach
        void dropSchema() throws SQLException {
            var postgres = PostgresTestServer.get();
            postgres.dropSchema(postgres.testDatabase(), SCHEMA);
        }

        @Test
        void aReceiptNotDeliveredBeforeARestart_shouldBeDeliveredAfterIt_onPostgresql() throws Exception {
            var postgres = PostgresTestServer.get();
            var database = postgres.testDatabase();
            postgres.recreateSchema(database, SCHEMA);
            var settings = settings();
            settings.put("edc.datasource.default.url", postgres.url(database) + "?currentSchema=" + SCHEMA);
            settings.put("edc.datasource.default.user", postgres.user());

            aReceiptNotDeliveredBeforeARestart_shouldBeDeliveredAfterIt(settings);
        }
    }

    private void aReceiptNotDeliveredBeforeARestart_shouldBeDeliveredAfterIt(RuntimeSettings settings) throws Exception {
        boot(settings);
        var negotiation = agreed();
        // the consumer's connector is down: the receipt is signed, kept, tried and not delivered
        var outbox = runtime.getService(StatementOutbox.class);
        await().atMost(WAIT).until(() -> outbox.pending(ReceiptIssuer.KIND).stream().anyMatch(statement -> statement.attempts() >= 1));
        var kept = outbox.pending(ReceiptIssuer.KIND);
        assertThat(kept).singleElement().satisfies(statement -> {
            assertThat(statement.address()).isEqualTo("http://127.0.0.1:%d/protocol".formatted(consumerPort));
            assertThat(statement.statement()).startsWith("ey");
        });
        runtime.shutdown();

        startConsumer();
        boot(settings);

        await().atMost(WAIT).until(() -> received.size() >= 1);
        assertThat(paths).containsExactly("/protocol/decision-log/v1/receipts");
        var jws = MAPPER.readTree(received.get(0)).path("receipt").asText();
        assertThat(jws).isEqualTo(kept.get(0).statement());
        var receipt = Receipts.verify(jws, kid -> Optional.of(key.toPublicJWK()), Instant.now());
        assertThat(receipt.event()).isEqualTo("negotiation.agreed");
        assertThat(receipt.recipientProcessId()).isEqualTo(negotiation.getCorrelationId());
        assertThat(receipt.issuerProcessId()).isEqualTo(negotiation.getId());
        // the entry it names is the one the provider's log kept through the restart
        var entry = runtime.getService(DecisionLogStore.class).read(receipt.sequence()).getContent();
        assertThat(entry.hash()).isEqualTo(receipt.entryHash());
        assertThat(entry.entry().negotiationId()).isEqualTo(negotiation.getId());
        await().atMost(WAIT).until(() -> runtime.getService(StatementOutbox.class).pending(ReceiptIssuer.KIND).isEmpty());
        runtime.shutdown();

        // delivered is done: the next start has nothing to send
        boot(settings);
        assertThat(runtime.getService(StatementOutbox.class).pending(ReceiptIssuer.KIND)).isEmpty();
        assertThat(received).hasSize(1);
    }

    private void startConsumer() throws java.io.IOException {
        consumer = HttpServer.create(new InetSocketAddress("127.0.0.1", consumerPort), 0);
        consumer.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        consumer.start();
    }

    private RuntimeSettings settings() {
        var settings = new RuntimeSettings("provider", "restart-test-key");
        // every append signs the head at once: the receipt is signed without waiting for the checkpoint timer
        settings.put("kakehashi.decisionlog.checkpoint.entries", "1");
        // EDC's state machines, idle here, each end only after their wait (1 s by default): four of them made every
        // stop of this runtime take 4 s, six stops per test
        for (var machine : List.of("negotiation", "transfer", "policy.monitor", "data.plane.selector")) {
            settings.put("edc.%s.state-machine.iteration-wait-millis".formatted(machine), "100");
        }
        return settings;
    }

    private void boot(RuntimeSettings settings) {
        var config = settings.asMap();
        runtime = new EmbeddedRuntime("provider", new URL[0]).configurationProvider(() -> ConfigFactory.fromMap(config))
                .registerServiceMock(ConnectorSigningKey.class, () -> key);
        runtime.boot(false);
    }

    // the provider's negotiation as EDC saves it when it agrees, and the event EDC publishes then
    private ContractNegotiation agreed() {
        var agreement = ContractAgreement.Builder.newInstance().id(UUID.randomUUID().toString()).agreementId("dsp-" + UUID.randomUUID())
                .providerId("provider").consumerId("consumer").assetId("machine-data").policy(Policy.Builder.newInstance().build()).build();
        var negotiation = ContractNegotiation.Builder.newInstance().id(UUID.randomUUID().toString()).type(ContractNegotiation.Type.PROVIDER)
                .counterPartyId("consumer").counterPartyAddress("http://127.0.0.1:%d/protocol/2025-1".formatted(consumerPort))
                .correlationId("consumer-" + UUID.randomUUID()).protocol("dataspace-protocol-http:2025-1").contractAgreement(agreement)
                .state(ContractNegotiationStates.AGREED.code()).build();
        runtime.getService(ContractNegotiationStore.class).save(negotiation);
        var event = ContractNegotiationAgreed.Builder.newInstance().contractNegotiationId(negotiation.getId()).counterPartyId("consumer")
                .counterPartyAddress(negotiation.getCounterPartyAddress()).protocol(negotiation.getProtocol()).build();
        runtime.getService(EventRouter.class).publish(EventEnvelope.Builder.newInstance().payload(event).at(System.currentTimeMillis()).build());
        return negotiation;
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("provider-key").generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
