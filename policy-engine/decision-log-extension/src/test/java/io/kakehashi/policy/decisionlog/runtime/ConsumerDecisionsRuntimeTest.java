package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.ChainVerifier;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer's decision log holds the consumer's own decisions (issue 14: it verified "intact" while holding none).
 * A consumer and a provider runtime (EDC's control plane with the mock identity, Kakehashi's decision log and agreement
 * rule, file-backed logs) in this JVM: the consumer negotiates, accepts the agreement and requests a transfer under
 * it; a transfer request under an agreement it does not hold is refused. The consumer's log then holds its
 * acceptance (PERMIT), the transfer request (PERMIT) and the refusal (DENY, with the reason), and it verifies.
 */
@EndToEndTest
class ConsumerDecisionsRuntimeTest {

    private static final String API_KEY = "consumer-decisions-test-key";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";
    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Connector PROVIDER = new Connector("provider");
    private static final Connector CONSUMER = new Connector("consumer");

    @RegisterExtension
    static final RuntimeExtension PROVIDER_RUNTIME = PROVIDER.runtime();
    @RegisterExtension
    static final RuntimeExtension CONSUMER_RUNTIME = CONSUMER.runtime();

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
    void consumersLog_shouldHoldItsAcceptanceItsTransferRequestAndItsRefusal_andVerify() {
        var consumerLogBefore = entries(CONSUMER_RUNTIME).size();

        var agreementId = negotiate();
        var requested = CONSUMER.exchange("/v3/transferprocesses", transferRequest(agreementId));
        var refused = CONSUMER.exchange("/v3/transferprocesses", transferRequest("an-agreement-the-consumer-does-not-hold"));

        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(200);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("an-agreement-the-consumer-does-not-hold is not known");
        // the consumer keeps the provider's agreement under an id of its own; its log names it by the DSP id both share
        var sharedId = CONSUMER_RUNTIME.getService(ContractNegotiationStore.class).findContractAgreement(agreementId).getAgreementId();
        assertThat(sharedId).isNotEqualTo(agreementId);
        var consumerEntries = entries(CONSUMER_RUNTIME).subList(consumerLogBefore, entries(CONSUMER_RUNTIME).size()).stream()
                .map(StoredDecision::entry).toList();
        // its acceptance of the agreement, as a policy decision and as the receipt it sent the provider (decision 0039)
        assertThat(consumerEntries).filteredOn(entry -> entry.scope() == DecisionScope.CONTRACT_NEGOTIATION)
                .extracting(entry -> entry.reasons().get(0).constraint()).containsExactly(RecordingContractValidationService.CONSTRAINT, "negotiation.verified");
        assertThat(consumerEntries).filteredOn(entry -> entry.scope() == DecisionScope.CONTRACT_NEGOTIATION)
                .allSatisfy(entry -> assertThat(entry.agreementId()).isEqualTo(sharedId))
                .filteredOn(entry -> entry.reasons().get(0).constraint().equals(RecordingContractValidationService.CONSTRAINT))
                .singleElement().satisfies(entry -> {
                    assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
                    assertThat(entry.counterpartyId()).isEqualTo("provider");
                    assertThat(entry.assetId()).isEqualTo("machine-data");
                    assertThat(entry.agreementId()).isEqualTo(sharedId);
                    assertThat(entry.localAgreementId()).isEqualTo(agreementId);
                    assertThat(entry.reasons()).extracting(reason -> reason.constraint()).containsExactly(RecordingContractValidationService.CONSTRAINT);
                });
        assertThat(consumerEntries).filteredOn(entry -> entry.scope() == DecisionScope.TRANSFER_PROCESS)
                .extracting(DecisionEntry::outcome, DecisionEntry::agreementId, DecisionEntry::localAgreementId, DecisionEntry::counterpartyId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(DecisionOutcome.PERMIT, sharedId, agreementId, "provider"),
                        org.assertj.core.groups.Tuple.tuple(DecisionOutcome.DENY, "an-agreement-the-consumer-does-not-hold", null, "unknown"));
        assertThat(ChainVerifier.verify(CONSUMER_RUNTIME.getService(DecisionLogStore.class)).intact()).isTrue();
        // the provider's log has its own decisions as before: the negotiation it granted
        assertThat(entries(PROVIDER_RUNTIME)).extracting(stored -> stored.entry().scope()).contains(DecisionScope.CONTRACT_NEGOTIATION);
    }

    private static List<StoredDecision> entries(RuntimeExtension runtime) {
        return runtime.getService(DecisionLogStore.class).readRange(1, 10_000);
    }

    private static String negotiate() {
        var catalog = CONSUMER.post("/v3/catalog/request",
                body().put("counterPartyAddress", PROVIDER.dspBase()).put("counterPartyId", "provider").put("protocol", PROTOCOL));
        var dataset = catalog.path("dataset").isArray() ? catalog.path("dataset").get(0) : catalog.path("dataset");
        var offer = (ObjectNode) (dataset.path("hasPolicy").isArray() ? dataset.path("hasPolicy").get(0) : dataset.path("hasPolicy")).deepCopy();
        offer.put("@type", "Offer").put("assigner", "provider").put("target", "machine-data");
        var request = MAPPER.createObjectNode();
        request.putArray("@context").add("https://w3id.org/edc/connector/management/v0.0.1");
        request.put("@type", "ContractRequest").put("counterPartyAddress", PROVIDER.dspBase()).put("protocol", PROTOCOL);
        request.set("policy", offer);
        var negotiationId = CONSUMER.post("/v3/contractnegotiations", request).path("@id").asText();
        var last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = CONSUMER.get("/v3/contractnegotiations/" + negotiationId);
            assertThat(last[0].path("state").asText()).as("%s", last[0]).isNotEqualTo("TERMINATED");
            return last[0].path("state").asText().equals("FINALIZED");
        });
        return last[0].path("contractAgreementId").asText();
    }

    private static ObjectNode transferRequest(String agreementId) {
        var request = body().put("@type", "TransferRequest").put("counterPartyAddress", PROVIDER.dspBase())
                .put("contractId", agreementId).put("protocol", PROTOCOL).put("transferType", "HttpData-PUSH");
        request.putObject("dataDestination").put("type", "HttpData").put("baseUrl", "http://127.0.0.1:1/sink");
        return request;
    }

    private static ObjectNode body() {
        var body = MAPPER.createObjectNode();
        body.putObject("@context").put("@vocab", EDC);
        return body;
    }

    /** One runtime's configuration, ports and management calls. */
    private static final class Connector {
        private final String id;
        private final RuntimeSettings config;

        private Connector(String id) {
            this.id = id;
            config = new RuntimeSettings(id, API_KEY);
            try {
                config.put("kakehashi.decisionlog.dir", Files.createTempDirectory("kakehashi-consumer-decisions-" + id).toString());
                config.put("kakehashi.outbox.dir", Files.createTempDirectory("kakehashi-consumer-outbox-" + id).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        RuntimeExtension runtime() {
            var key = signingKey();
            return new RuntimePerClassExtension(new EmbeddedRuntime(id, new URL[0])
                    .configurationProvider(() -> ConfigFactory.fromMap(config.asMap()))
                    .registerServiceMock(ConnectorSigningKey.class, () -> key));
        }

        private static com.nimbusds.jose.jwk.ECKey signingKey() {
            try {
                return new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
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
