package io.kakehashi.catalog.extension;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kakehashi.catalog.core.CatalogSearch;
import io.kakehashi.catalog.core.PeerCatalogStore;
import io.kakehashi.catalog.core.SearchScope;
import io.kakehashi.testfixtures.Ports;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two connectors over DSP on loopback: a provider publishes an asset with DCAT metadata; a consumer's crawler asks
 * for its catalog with the consumer's identity and finds the dataset with an English search.
 */
@EndToEndTest
class FederatedCatalogRuntimeTest {

    private static final String API_KEY = "federation-test-key";
    private static final int PROVIDER_MANAGEMENT = Ports.freePort();
    private static final int PROVIDER_PROTOCOL = Ports.freePort();
    private static final int CONSUMER_MANAGEMENT = Ports.freePort();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final RuntimeExtension PROVIDER = runtime("provider", PROVIDER_MANAGEMENT, PROVIDER_PROTOCOL, Map.of());

    @RegisterExtension
    static final RuntimeExtension CONSUMER = runtime("consumer", CONSUMER_MANAGEMENT, Ports.freePort(), Map.of(
            "kakehashi.catalog.crawler.peers", "provider=http://127.0.0.1:%d/protocol/2025-1".formatted(PROVIDER_PROTOCOL),
            "kakehashi.catalog.crawler.interval", "PT1S",
            "kakehashi.catalog.crawler.timeout", "PT20S"));

    private static RuntimeExtension runtime(String participant, int managementPort, int protocolPort, Map<String, String> extra) {
        return new RuntimePerClassExtension(new EmbeddedRuntime(participant, new URL[0]).configurationProvider(() -> {
            var config = new HashMap<String, String>();
            config.put("edc.participant.id", participant);
            config.put("web.http.port", String.valueOf(Ports.freePort()));
            config.put("web.http.path", "/api");
            config.put("web.http.management.port", String.valueOf(managementPort));
            config.put("web.http.management.path", "/management");
            config.put("web.http.management.auth.type", "tokenbased");
            config.put("web.http.management.auth.key", API_KEY);
            config.put("web.http.protocol.port", String.valueOf(protocolPort));
            config.put("web.http.protocol.path", "/protocol");
            config.put("web.http.control.port", String.valueOf(Ports.freePort()));
            config.put("web.http.control.path", "/control");
            config.put("edc.dsp.callback.address", "http://127.0.0.1:%d/protocol".formatted(protocolPort));
            config.put("kakehashi.catalog.storage", "memory");
            config.putAll(extra);
            return ConfigFactory.fromMap(config);
        }));
    }

    private static int post(String path, String body) {
        return post(PROVIDER_MANAGEMENT, path, body).statusCode();
    }

    private static HttpResponse<String> post(int port, String path, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/management%s".formatted(port, path)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("x-api-key", API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // after both runtimes are up (JUnit runs the extensions' beforeAll first)
    @org.junit.jupiter.api.BeforeAll
    static void publish() {
        var asset = JsonNodeFactory.instance.objectNode();
        asset.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/").put("kh", "https://w3id.org/kakehashi/ns#");
        asset.put("@id", "machine-operation-2025");
        asset.putObject("properties").put("name", "machine operation 2025").put("kh:dcat", manufacturing());
        asset.putObject("dataAddress").put("type", "HttpData").put("baseUrl", "http://127.0.0.1:1/data");
        assertThat(post("/v3/assets", asset.toString())).isEqualTo(200);

        var policy = JsonNodeFactory.instance.objectNode();
        policy.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/").put("odrl", "http://www.w3.org/ns/odrl/2/");
        policy.put("@id", "open");
        policy.putObject("policy").put("@type", "odrl:Set");
        assertThat(post("/v3/policydefinitions", policy.toString())).isEqualTo(200);

        var definition = JsonNodeFactory.instance.objectNode();
        definition.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/");
        definition.put("@id", "everything");
        definition.put("accessPolicyId", "open");
        definition.put("contractPolicyId", "open");
        definition.putArray("assetsSelector");
        assertThat(post("/v3/contractdefinitions", definition.toString())).isEqualTo(200);
    }

    @Test
    void crawler_whenAPeerPublishesDcatMetadata_shouldLetAnEnglishSearchFindItsJapaneseTitle() {
        var search = CONSUMER.getService(CatalogSearch.class);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(search.find("machine operation", SearchScope.peers(Set.of("provider"), Instant.EPOCH)).getContent())
                        .singleElement().satisfies(hit -> {
                            assertThat(hit.peerId()).contains("provider");
                            assertThat(hit.titles()).containsEntry("ja", "工作機械稼働データ");
                            assertThat(hit.datasetIri()).endsWith("/protocol/2025-1/catalog/datasets/machine-operation-2025");
                        }));
        var status = CONSUMER.getService(PeerCatalogStore.class).status("provider").orElseThrow();
        assertThat(status.fetchedAt()).isPresent();
    }

    @Test
    void catalogRequest_whenAssetHasDcatMetadata_shouldCarryItAsDcatPropertiesOfTheDataset() throws Exception {
        var request = JsonNodeFactory.instance.objectNode();
        request.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/");
        request.put("@type", "CatalogRequest");
        request.put("counterPartyAddress", "http://127.0.0.1:%d/protocol/2025-1".formatted(PROVIDER_PROTOCOL));
        request.put("counterPartyId", "provider");
        request.put("protocol", "dataspace-protocol-http:2025-1");

        var response = post(CONSUMER_MANAGEMENT, "/v3/catalog/request", request.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var catalog = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        var dataset = datasets(catalog).stream().filter(d -> d.path("@id").asText().equals("machine-operation-2025"))
                .findFirst().orElseThrow(() -> new AssertionError(catalog.toString()));
        var titleKey = new java.util.ArrayList<String>();
        dataset.fieldNames().forEachRemaining(name -> {
            if (name.endsWith("title")) {
                titleKey.add(name);
            }
        });
        assertThat(titleKey).as(dataset.toString()).hasSize(1);
        assertThat(dataset.get(titleKey.get(0)).toString()).contains("工作機械稼働データ").contains("\"ja\"");
        assertThat(dataset.get("hasPolicy")).as("offers are still EDC's").isNotNull();
    }

    @Test
    void catalogRequest_whenPagedAndFiltered_shouldAnswerEachPageInAssetIdOrder() throws Exception {
        for (var id : List.of("z-page-3", "z-page-1", "z-page-5", "z-page-2", "z-page-4")) {
            var asset = JsonNodeFactory.instance.objectNode();
            asset.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/");
            asset.put("@id", id);
            asset.putObject("properties").put("name", "paging").put("shelf", id.endsWith("3") ? "top" : "bottom");
            asset.putObject("dataAddress").put("type", "HttpData").put("baseUrl", "http://127.0.0.1:1/data");
            assertThat(post("/v3/assets", asset.toString())).isEqualTo(200);
        }

        var pages = new ArrayList<List<String>>();
        for (var offset = 0; offset < 6; offset += 2) {
            pages.add(ids(requestCatalog(offset, 2, "https://w3id.org/edc/v0.0.1/ns/name", "paging")));
        }

        assertThat(pages).containsExactly(List.of("z-page-1", "z-page-2"), List.of("z-page-3", "z-page-4"), List.of("z-page-5"));
        assertThat(ids(requestCatalog(0, 50, "https://w3id.org/edc/v0.0.1/ns/shelf", "top"))).containsExactly("z-page-3");
    }

    private static com.fasterxml.jackson.databind.JsonNode requestCatalog(int offset, int limit, String property, String value) throws Exception {
        var request = JsonNodeFactory.instance.objectNode();
        request.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/");
        request.put("@type", "CatalogRequest");
        request.put("counterPartyAddress", "http://127.0.0.1:%d/protocol/2025-1".formatted(PROVIDER_PROTOCOL));
        request.put("counterPartyId", "provider");
        request.put("protocol", "dataspace-protocol-http:2025-1");
        var querySpec = request.putObject("querySpec").put("offset", offset).put("limit", limit);
        querySpec.putArray("filterExpression").addObject().put("operandLeft", property).put("operator", "=").put("operandRight", value);

        var response = post(CONSUMER_MANAGEMENT, "/v3/catalog/request", request.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static List<com.fasterxml.jackson.databind.JsonNode> datasets(com.fasterxml.jackson.databind.JsonNode catalog) {
        var datasets = catalog.path("dataset");
        var list = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        if (datasets.isArray()) {
            datasets.forEach(list::add);
        } else if (!datasets.isMissingNode()) {
            list.add(datasets);
        }
        return list;
    }

    private static List<String> ids(com.fasterxml.jackson.databind.JsonNode catalog) {
        return datasets(catalog).stream().map(d -> d.path("@id").asText()).toList();
    }
}
