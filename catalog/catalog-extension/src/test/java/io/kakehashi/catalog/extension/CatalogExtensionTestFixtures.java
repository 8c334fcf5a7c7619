package io.kakehashi.catalog.extension;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.edc.jsonld.TitaniumJsonLd;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Assets as the management API receives them, expanded as EDC expands them, and example metadata. */
final class CatalogExtensionTestFixtures {

    static final Monitor QUIET = new Monitor() {
    };

    private CatalogExtensionTestFixtures() {
    }

    static String manufacturing() {
        try (InputStream in = CatalogExtensionTestFixtures.class.getClassLoader().getResourceAsStream("examples/manufacturing.jsonld")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manufacturing example with its English title tagged German: a profile violation. */
    static String manufacturingWithoutEnglishTitle() {
        return manufacturing().replaceFirst("(\"Machine tool operation data\",\\s*\"@language\": \")en\"", "$1de\"");
    }

    /** A management-API asset whose kh:dcat property holds {@code metadata} as a string. */
    static JsonObject assetWithMetadataString(String id, String metadata) {
        return expand(Json.createObjectBuilder()
                .add("@context", context())
                .add("@id", id)
                .add("properties", Json.createObjectBuilder().add("name", id).add("kh:dcat", metadata))
                .add("dataAddress", Json.createObjectBuilder().add("type", "HttpData").add("baseUrl", "http://127.0.0.1:1/data"))
                .build());
    }

    /** A management-API asset whose kh:dcat property holds {@code metadata} as a JSON literal. */
    static JsonObject assetWithMetadataJson(String id, String metadata) {
        var document = Json.createReader(new StringReader(metadata)).readObject();
        return expand(Json.createObjectBuilder()
                .add("@context", context())
                .add("@id", id)
                .add("properties", Json.createObjectBuilder().add("kh:dcat", Json.createObjectBuilder().add("@type", "@json").add("@value", document)))
                .build());
    }

    static JsonObject assetWithoutMetadata(String id) {
        return expand(Json.createObjectBuilder()
                .add("@context", context())
                .add("@id", id)
                .add("properties", Json.createObjectBuilder().add("name", id))
                .build());
    }

    static JsonObject expand(JsonObject compacted) {
        return new TitaniumJsonLd(QUIET).expand(compacted).orElseThrow(f -> new IllegalStateException(f.getFailureDetail()));
    }

    private static JsonObject context() {
        return Json.createObjectBuilder()
                .add("@vocab", "https://w3id.org/edc/v0.0.1/ns/")
                .add("kh", "https://w3id.org/kakehashi/ns#")
                .build();
    }
}
