package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Receipts to the counterparty (issue 21, item 1; docs/decisions/0039) across real runtimes on loopback: a provider, a
 * consumer that takes receipts, and a consumer with receipts turned off (its protocol context answers 404 for them,
 * as a stock EDC or the DSP TCK would). The provider's agreement and its termination of a transfer reach the
 * consumer as receipts that the consumer verified and kept, naming the consumer's own process ids and the DSP
 * agreement id; the consumer refuses a forged receipt, a malformed and an oversized one with 4xx and keeps none of
 * them; and the consumer without the endpoint negotiates as before.
 */
@EndToEndTest
class ReceiptsRuntimeTest {

    private static final String API_KEY = "receipts-test-key";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Connector PROVIDER = new Connector("provider", true);
    private static final Connector CONSUMER = new Connector("consumer", true);
    private static final Connector STOCK = new Connector("stock", false);

    @RegisterExtension
    static final RuntimeExtension PROVIDER_RUNTIME = PROVIDER.runtime();
    @RegisterExtension
    static final RuntimeExtension CONSUMER_RUNTIME = CONSUMER.runtime();
    @RegisterExtension
    static final RuntimeExtension STOCK_RUNTIME = STOCK.runtime();

    @BeforeAll
    static void publish() {
        var asset = body().put("@id", "machine-data");
        asset.putObject("properties").put("name", "machine-data");
        asset.putObject("dataAddress").put("@type", "DataAddress").put("type", "HttpData").put("baseUrl", "http://127.0.0.1:1/source");
        PROVIDER.post("/v3/assets", asset);
        var policy = body().put("@id", "open");
        policy.putObject("policy").put("@context", "http://www.w3.org/ns/odrl.jsonld").put("@type", "Set")
                .putArray("permission").addObject().put("action", "use");
        PROVIDER.post("/v3/policydefinitions", policy);
        var definition = body().put("@id", "all").put("accessPolicyId", "open").put("contractPolicyId", "open");
        definition.putArray("assetsSelector");
        PROVIDER.post("/v3/contractdefinitions", definition);
    }

    @Test
    void providersDecisions_shouldReachTheConsumerAsVerifiedReceipts() {
        var negotiation = negotiate(CONSUMER);
        var receipts = CONSUMER_RUNTIME.getService(ReceiptStore.class);

        var agreed = await().atMost(Duration.ofSeconds(30)).until(() -> find(receipts, "negotiation.agreed", negotiation.id()), Optional::isPresent).orElseThrow();
        assertThat(agreed.issuer()).isEqualTo("provider");
        assertThat(agreed.recipientProcessId()).isEqualTo(negotiation.id());
        // both sides know the agreement by the DSP agreement id, whatever id each keeps it under
        var providerAgreement = PROVIDER_RUNTIME.getService(ContractNegotiationStore.class).findById(agreed.issuerProcessId()).getContractAgreement();
        var consumerAgreement = CONSUMER_RUNTIME.getService(ContractNegotiationStore.class).findContractAgreement(negotiation.agreementId());
        assertThat(agreed.agreementId()).isNotBlank().isEqualTo(providerAgreement.getAgreementId()).isEqualTo(consumerAgreement.getAgreementId());
        // the receipt's entry is the provider's: at its position in the provider's log, with its hash, verified with the provider's key
        var providerEntry = PROVIDER_RUNTIME.getService(DecisionLogStore.class).read(agreed.sequence()).getContent();
        assertThat(providerEntry.hash()).isEqualTo(agreed.entryHash());
        assertThat(providerEntry.entry().negotiationId()).isEqualTo(agreed.issuerProcessId());
        assertThat(providerEntry.entry().outcome()).isEqualTo(DecisionOutcome.PERMIT);
        assertThat(new DecisionLogTree(PROVIDER_RUNTIME.getService(DecisionLogStore.class)).root(agreed.treeSize())).isEqualTo(agreed.rootHash());
        assertThat(Receipts.verify(agreed.jws(), kid -> Optional.of(PROVIDER.key), Instant.now()).entryHash()).isEqualTo(agreed.entryHash());

        // the provider has no data plane in this runtime, so it terminates the transfer: a receipt of that too
        var transferId = CONSUMER.post("/v3/transferprocesses", transferRequest(PROVIDER, negotiation.agreementId())).path("@id").asText();
        var terminated = await().atMost(Duration.ofSeconds(60)).until(() -> find(receipts, "transfer.terminated", transferId), Optional::isPresent).orElseThrow();
        assertThat(terminated.agreementId()).isEqualTo(agreed.agreementId());
        assertThat(terminated.sequence()).isGreaterThan(agreed.sequence());
        var terminatedEntry = PROVIDER_RUNTIME.getService(DecisionLogStore.class).read(terminated.sequence()).getContent().entry();
        assertThat(terminatedEntry.outcome()).isEqualTo(DecisionOutcome.DENY);
        assertThat(terminatedEntry.transferId()).isEqualTo(terminated.issuerProcessId());
        // the consumer issued none for the termination it received; the one it issued is its acceptance of the agreement
        var accepted = await().atMost(Duration.ofSeconds(30)).until(() -> find(PROVIDER_RUNTIME.getService(ReceiptStore.class), "negotiation.verified",
                agreed.issuerProcessId()), Optional::isPresent).orElseThrow();
        assertThat(accepted.issuer()).isEqualTo("consumer");
        assertThat(accepted.issuerProcessId()).isEqualTo(negotiation.id());
        assertThat(accepted.agreementId()).isEqualTo(agreed.agreementId());
        assertThat(CONSUMER_RUNTIME.getService(DecisionLogStore.class).read(accepted.sequence()).getContent().entry().outcome()).isEqualTo(DecisionOutcome.PERMIT);
        assertThat(PROVIDER_RUNTIME.getService(ReceiptStore.class).all()).filteredOn(receipt -> receipt.agreementId().equals(agreed.agreementId()))
                .extracting(Receipt::event).containsExactly("negotiation.verified");
        assertThat(receipts.byAgreement(agreed.agreementId())).extracting(Receipt::event).contains("negotiation.agreed", "transfer.terminated");
    }

    @Test
    void providersLog_shouldNameTheAgreementByTheDspIdInPolicyDecisionsAndReceiptEntriesAlike() {
        var negotiation = negotiate(CONSUMER);
        var transferId = CONSUMER.post("/v3/transferprocesses", transferRequest(PROVIDER, negotiation.agreementId())).path("@id").asText();
        var receipts = CONSUMER_RUNTIME.getService(ReceiptStore.class);
        var terminated = await().atMost(Duration.ofSeconds(60)).until(() -> find(receipts, "transfer.terminated", transferId), Optional::isPresent).orElseThrow();
        var sharedId = terminated.agreementId();
        var providerAgreement = PROVIDER_RUNTIME.getService(ContractNegotiationStore.class)
                .findById(find(receipts, "negotiation.agreed", negotiation.id()).orElseThrow().issuerProcessId()).getContractAgreement();
        // EDC keeps the agreement at the provider under an id of its own: the case where one agreement had two names
        assertThat(providerAgreement.getId()).isNotEqualTo(sharedId);
        assertThat(providerAgreement.getAgreementId()).isEqualTo(sharedId);

        // what an auditor's agreement=<id> asks the provider's log
        var log = PROVIDER_RUNTIME.getService(DecisionLogStore.class);
        var byDspId = log.query(DecisionQuery.builder().agreementId(sharedId).limit(DecisionQuery.MAX_LIMIT).build());

        assertThat(byDspId).extracting(StoredDecision::entry).allSatisfy(entry -> {
            assertThat(entry.agreementId()).isEqualTo(sharedId);
            assertThat(entry.localAgreementId()).isEqualTo(providerAgreement.getId());
        });
        var constraints = byDspId.stream().map(stored -> stored.entry().reasons().stream().map(ConstraintReason::constraint).toList()).toList();
        // the receipt entries of the agreement and of the transfer's end ...
        assertThat(constraints).contains(List.of("negotiation.agreed"), List.of("transfer.terminated"));
        // ... and the policy engine's decision on the transfer request
        assertThat(byDspId).filteredOn(stored -> stored.entry().scope() == DecisionScope.TRANSFER_PROCESS && stored.entry().reasons().stream()
                .noneMatch(reason -> reason.constraint().equals("transfer.terminated"))).isNotEmpty();
        // the provider's own id finds the same entries
        assertThat(log.query(DecisionQuery.builder().agreementId(providerAgreement.getId()).limit(DecisionQuery.MAX_LIMIT).build()))
                .isEqualTo(byDspId);
    }

    @Test
    void consumer_shouldRefuseForgedMalformedAndOversizedReceipts_andKeepNone() throws Exception {
        var negotiation = negotiate(CONSUMER);
        var receipts = CONSUMER_RUNTIME.getService(ReceiptStore.class);
        var genuine = await().atMost(Duration.ofSeconds(30)).until(() -> find(receipts, "negotiation.agreed", negotiation.id()), Optional::isPresent).orElseThrow();
        var keptBefore = receipts.all().size();
        var url = CONSUMER.config.protocolUrl() + "/decision-log/v1/receipts";

        // the provider's own entry and head, signed by a stranger under the provider's key id
        var providerLog = PROVIDER_RUNTIME.getService(DecisionLogStore.class);
        StoredDecision entry = providerLog.read(genuine.sequence()).getContent();
        var head = PROVIDER_RUNTIME.getService(CheckpointStore.class).latest().orElseThrow();
        var proof = new DecisionLogTree(providerLog).upTo(head.sequence()).inclusionProof(entry.sequence() - 1, head.sequence());
        var stranger = new ECKeyGenerator(Curve.P_256).keyID(PROVIDER.key.getKeyID()).generate();
        var subject = new Receipts.Subject("negotiation.agreed", "provider", "consumer", genuine.issuerProcessId(), negotiation.id(), genuine.agreementId());
        var forged = Receipts.sign(stranger, subject, entry, head, proof, Instant.now());

        assertThat(post(url, "{\"receipt\":\"" + forged + "\"}")).satisfies(answer -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("signature does not verify");
            assertErrorShape(answer, "BadRequest");
        });
        assertThat(post(url, "{\"receipt\":\"not.a.jws\"}").statusCode()).isEqualTo(400);
        assertThat(post(url, "{\"receipt\":1}").statusCode()).isEqualTo(400);
        assertThat(post(url, "[").statusCode()).isEqualTo(400);
        assertThat(post(url, "{\"receipt\":\"" + "a".repeat(70_000) + "\"}")).satisfies(answer -> {
            assertThat(answer.statusCode()).isEqualTo(413);
            assertErrorShape(answer, "PayloadTooLarge");
        });
        assertThat(post(url, "{\"receipt\":\"" + genuine.jws() + "\",\"receipt\":\"" + genuine.jws() + "\"}").statusCode()).isEqualTo(400);
        // the genuine receipt for a process of another participant: not the consumer's process
        var elsewhere = new Receipts.Subject("negotiation.agreed", "provider", "consumer", genuine.issuerProcessId(), "no-such-negotiation", genuine.agreementId());
        assertThat(post(url, "{\"receipt\":\"" + Receipts.sign(PROVIDER.key, elsewhere, entry, head, proof, Instant.now()) + "\"}").statusCode()).isEqualTo(400);
        // sent again as it was: kept once
        assertThat(post(url, "{\"receipt\":\"" + genuine.jws() + "\"}").statusCode()).isEqualTo(200);

        assertThat(receipts.all()).hasSize(keptBefore);
    }

    @Test
    void consumerWithoutTheEndpoint_shouldNegotiateAsBefore() throws Exception {
        assertThat(post(STOCK.config.protocolUrl() + "/decision-log/v1/receipts", "{\"receipt\":\"x.y.z\"}").statusCode()).isEqualTo(404);

        var negotiation = negotiate(STOCK);

        assertThat(negotiation.agreementId()).isNotBlank();
        // the provider still logged its decision and made its receipt; the stock consumer kept nothing
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PROVIDER_RUNTIME.getService(DecisionLogStore.class).readRange(1, 10_000))
                .anySatisfy(stored -> {
                    assertThat(stored.entry().counterpartyId()).isEqualTo("stock");
                    assertThat(stored.entry().reasons()).extracting(reason -> reason.constraint()).containsExactly("negotiation.agreed");
                }));
        assertThat(STOCK_RUNTIME.getService(ReceiptStore.class).all()).isEmpty();
    }

    private static Optional<Receipt> find(ReceiptStore receipts, String event, String recipientProcessId) {
        return receipts.all().stream().filter(receipt -> receipt.event().equals(event) && receipt.recipientProcessId().equals(recipientProcessId)).findFirst();
    }

    private record Negotiation(String id, String agreementId) {
    }

    private static Negotiation negotiate(Connector consumer) {
        var catalog = consumer.post("/v3/catalog/request",
                body().put("counterPartyAddress", PROVIDER.dspBase()).put("counterPartyId", "provider").put("protocol", PROTOCOL));
        var dataset = catalog.path("dataset").isArray() ? catalog.path("dataset").get(0) : catalog.path("dataset");
        var offer = (ObjectNode) (dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy")).deepCopy();
        offer.put("@type", "Offer").put("assigner", "provider").put("target", "machine-data");
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", PROVIDER.dspBase()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        var negotiationId = consumer.post("/v3/contractnegotiations", request).path("@id").asText();
        var last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = consumer.get("/v3/contractnegotiations/" + negotiationId);
            assertThat(last[0].path("state").asText()).as("%s", last[0]).isNotEqualTo("TERMINATED");
            return last[0].path("state").asText().equals("FINALIZED");
        });
        return new Negotiation(negotiationId, last[0].path("contractAgreementId").asText());
    }

    private static ObjectNode transferRequest(Connector provider, String agreementId) {
        var request = body().put("@type", "TransferRequest").put("counterPartyAddress", provider.dspBase())
                .put("contractId", agreementId).put("protocol", PROTOCOL).put("transferType", "HttpData-PUSH");
        request.putObject("dataDestination").put("type", "HttpData").put("baseUrl", "http://127.0.0.1:1/sink");
        return request;
    }

    /** A refusal in EDC's error shape, {@code [{"message", "type"}]}, as DSP's and the other public endpoints' are. */
    private static void assertErrorShape(HttpResponse<String> answer, String type) throws Exception {
        var body = MAPPER.readTree(answer.body());
        assertThat(body.isArray()).as(answer.body()).isTrue();
        assertThat(body.get(0).path("type").asText()).isEqualTo(type);
        assertThat(body.get(0).path("message").asText()).isNotBlank();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode body() {
        var body = MAPPER.createObjectNode();
        body.putObject("@context").put("@vocab", EDC);
        return body;
    }

    /** One runtime's configuration, key, ports and management calls. */
    private static final class Connector {
        private final String id;
        private final RuntimeSettings config;
        private final ECKey key;

        private Connector(String id, boolean receipts) {
            this.id = id;
            config = new RuntimeSettings(id, API_KEY);
            try {
                config.put("kakehashi.decisionlog.dir", Files.createTempDirectory("kakehashi-receipts-" + id).toString());
                config.put("kakehashi.outbox.dir", Files.createTempDirectory("kakehashi-outbox-" + id).toString());
                key = new ECKeyGenerator(Curve.P_256).keyID(id + "-key").generate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            // every append signs the head at once: a receipt goes out without waiting for the checkpoint timer
            config.put("kakehashi.decisionlog.checkpoint.entries", "1");
            config.put("kakehashi.decisionlog.receipts.enabled", Boolean.toString(receipts));
        }

        RuntimeExtension runtime() {
            return new RuntimePerClassExtension(new EmbeddedRuntime(id, new URL[0])
                    .configurationProvider(() -> ConfigFactory.fromMap(config.asMap()))
                    .registerServiceMock(ConnectorSigningKey.class, () -> key));
        }

        String dspBase() {
            return config.protocolUrl() + "/2025-1";
        }

        JsonNode post(String path, JsonNode body) {
            var response = exchange(path, body);
            assertThat(response.statusCode() / 100).as("%s %s", path, response.body()).isEqualTo(2);
            return json(response.body());
        }

        JsonNode get(String path) {
            var response = send(HttpRequest.newBuilder(uri(path)).GET());
            assertThat(response.statusCode() / 100).as("%s %s", path, response.body()).isEqualTo(2);
            return json(response.body());
        }

        HttpResponse<String> exchange(String path, JsonNode body) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        private URI uri(String path) {
            return URI.create(config.managementUrl() + path);
        }

        private static JsonNode json(String text) {
            try {
                return text.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return HTTP.send(request.header("x-api-key", API_KEY).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
