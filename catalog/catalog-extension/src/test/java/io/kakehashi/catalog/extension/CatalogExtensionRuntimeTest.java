package io.kakehashi.catalog.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.testfixtures.Ports;
import org.eclipse.edc.junit.annotations.ComponentTest;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.UUID;

import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturing;
import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturingWithoutEnglishTitle;
import static org.assertj.core.api.Assertions.assertThat;

/** The catalog extensions booted in a real EDC control plane, driven through its management API on loopback. */
@ComponentTest
class CatalogExtensionRuntimeTest {

    private static final String API_KEY = "runtime-test-key";
    private static final int MANAGEMENT_PORT = Ports.freePort();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final RuntimeExtension RUNTIME = new RuntimePerClassExtension(new EmbeddedRuntime("catalog-runtime-test", new URL[0])
            .configurationProvider(() -> {
                var config = new HashMap<String, String>();
                config.put("edc.participant.id", "catalog-test-provider");
                config.put("web.http.port", String.valueOf(Ports.freePort()));
                config.put("web.http.path", "/api");
                config.put("web.http.management.port", String.valueOf(MANAGEMENT_PORT));
                config.put("web.http.management.path", "/management");
                config.put("web.http.management.auth.type", "tokenbased");
                config.put("web.http.management.auth.key", API_KEY);
                var protocolPort = Ports.freePort();
                config.put("web.http.protocol.port", String.valueOf(protocolPort));
                config.put("web.http.protocol.path", "/protocol");
                config.put("web.http.control.port", String.valueOf(Ports.freePort()));
                config.put("web.http.control.path", "/control");
                config.put("edc.dsp.callback.address", "http://127.0.0.1:%d/protocol".formatted(protocolPort));
                config.put("kakehashi.catalog.storage", "tdb2");
                config.put("kakehashi.catalog.dir", Path.of("target", "runtime-test-catalog-" + UUID.randomUUID()).toString());
                return ConfigFactory.fromMap(config);
            }));

    private static HttpResponse<String> send(String method, String path, String contentType, String body, boolean authenticated) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/management%s".formatted(MANAGEMENT_PORT, path)))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (authenticated) {
            builder.header("x-api-key", API_KEY);
        }
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String asset(String id, String metadata) {
        var asset = JsonNodeFactory.instance.objectNode();
        asset.putObject("@context").put("@vocab", "https://w3id.org/edc/v0.0.1/ns/").put("kh", "https://w3id.org/kakehashi/ns#");
        asset.put("@id", id);
        asset.putObject("properties").put("name", id).put("kh:dcat", metadata);
        asset.putObject("dataAddress").put("type", "HttpData").put("baseUrl", "http://127.0.0.1:1/data");
        return asset.toString();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static String titlesQuery() {
        return "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?g ?title WHERE { GRAPH ?g { ?d dct:title ?title } }";
    }

    @Test
    void createAsset_whenMetadataConforms_shouldStoreTheAssetAndItsGraph() {
        var created = send("POST", "/v3/assets", "application/json", asset("machines-ok", manufacturing()), true);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        var store = RUNTIME.getService(DcatCatalogStore.class);
        assertThat(store.assetIds()).contains("machines-ok");
        var answer = send("POST", "/v3/catalog/sparql", "application/sparql-query", titlesQuery(), true);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/sparql-results+json"));
        assertThat(answer.body()).contains("工作機械稼働データ").contains("urn:kakehashi:catalog:asset:machines-ok");
    }

    @Test
    void createAsset_whenMetadataViolatesItsProfile_shouldBe400WithTheShaclMessageAndStoreNothing() {
        var created = send("POST", "/v3/assets", "application/json", asset("machines-bad", manufacturingWithoutEnglishTitle()), true);

        assertThat(created.statusCode()).isEqualTo(400);
        var violation = json(created).get(0);
        assertThat(violation.get("message").asText()).contains("dct:title").contains("English (@en)");
        assertThat(violation.get("type").asText()).isEqualTo("ValidationFailure");
        assertThat(violation.get("path").asText()).isEqualTo(AssetMetadataProperty.KEY);
        assertThat(send("GET", "/v3/assets/machines-bad", null, null, true).statusCode()).isEqualTo(404);
        assertThat(RUNTIME.getService(DcatCatalogStore.class).metadata("machines-bad")).isEmpty();
    }

    @Test
    void createAsset_whenMetadataIsMalformedJsonLd_shouldBe400() {
        var created = send("POST", "/v3/assets", "application/json", asset("machines-malformed", "{\"@context\": "), true);

        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(created.body()).contains("malformed JSON-LD metadata");
    }

    @Test
    void updateAndDelete_shouldKeepTheGraphInStep() {
        send("POST", "/v3/assets", "application/json", asset("machines-life", manufacturing()), true);
        var store = RUNTIME.getService(DcatCatalogStore.class);

        var badUpdate = send("PUT", "/v3/assets", "application/json", asset("machines-life", manufacturingWithoutEnglishTitle()), true);
        assertThat(badUpdate.statusCode()).isEqualTo(400);
        assertThat(store.metadata("machines-life").orElseThrow().toString()).contains("Machine tool operation data");

        var renamed = manufacturing().replace("Machine tool operation data", "Spindle data, renamed");
        assertThat(send("PUT", "/v3/assets", "application/json", asset("machines-life", renamed), true).statusCode()).isEqualTo(204);
        assertThat(store.metadata("machines-life").orElseThrow().toString()).contains("Spindle data, renamed");

        assertThat(send("DELETE", "/v3/assets/machines-life", null, null, true).statusCode()).isEqualTo(204);
        assertThat(store.metadata("machines-life")).isEmpty();
    }

    @Test
    void sparql_whenUpdate_shouldBe400() {
        var answer = send("POST", "/v3/catalog/sparql", "application/sparql-query", "CLEAR ALL", true);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer).get(0).get("message").asText()).contains("read-only");
    }

    @Test
    void sparql_whenNotAuthenticated_shouldBe401() {
        assertThat(send("POST", "/v3/catalog/sparql", "application/sparql-query", titlesQuery(), false).statusCode()).isEqualTo(401);
    }

    @Test
    void search_whenEnglish_shouldFindTheJapaneseTitledAsset() {
        send("POST", "/v3/assets", "application/json", asset("machines-search", manufacturing()), true);

        var answer = send("GET", "/v3/catalog/search?q=machine%20operation", null, null, true);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("machines-search").contains("工作機械稼働データ");
    }
}
