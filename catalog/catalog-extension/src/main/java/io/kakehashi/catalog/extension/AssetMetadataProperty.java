package io.kakehashi.catalog.extension;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kakehashi.core.spi.json.JsonCodec;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.spi.result.Result;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an asset carries its DCAT metadata: the asset property {@value #KEY} (compacted {@code kh:dcat}), whose value
 * is the metadata as a JSON-LD document — either a JSON string holding the document, or the document itself as a
 * JSON literal ({@code {"@type": "@json", "@value": {…}}}), which EDC stores as a map. The document must carry its
 * {@code @context} inline. A stored map is written back to JSON text with {@link JsonCodec}, in its own order.
 * Stateless; thread-safe.
 */
public final class AssetMetadataProperty {

    /** The asset property holding the DCAT metadata. */
    public static final String KEY = "https://w3id.org/kakehashi/ns#dcat";

    private static final String EDC_PROPERTIES = Asset.EDC_ASSET_PROPERTIES;
    private static final String VALUE = "@value";

    private AssetMetadataProperty() {
    }

    /**
     * The metadata in an asset as the management API receives it (expanded JSON-LD).
     *
     * @return empty if the asset has no metadata; otherwise the JSON-LD text, or a failure if the value has a wrong shape
     */
    public static Optional<Result<String>> fromExpanded(JsonObject asset) {
        var properties = first(asset.get(EDC_PROPERTIES));
        if (!(properties instanceof JsonObject propertiesObject) || !propertiesObject.containsKey(KEY)) {
            return Optional.empty();
        }
        var value = first(propertiesObject.get(KEY));
        if (value instanceof JsonObject valueObject && valueObject.containsKey(VALUE)) {
            var inner = valueObject.get(VALUE);
            if (inner instanceof JsonString string) {
                return Optional.of(Result.success(string.getString()));
            }
            if (inner.getValueType() == JsonValue.ValueType.OBJECT || inner.getValueType() == JsonValue.ValueType.ARRAY) {
                return Optional.of(Result.success(inner.toString()));
            }
        }
        return Optional.of(Result.failure(shapeMessage()));
    }

    /**
     * The metadata of a stored asset.
     *
     * @return empty if the asset has no metadata; otherwise the JSON-LD text, or a failure if the value has a wrong shape
     */
    public static Optional<Result<String>> fromAsset(Asset asset) {
        var value = asset.getProperty(KEY);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(Result.success(text));
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return Optional.of(Result.success(JsonCodec.writer().writeValueAsString(value)));
            } catch (JsonProcessingException e) {
                return Optional.of(Result.failure(shapeMessage()));
            }
        }
        return Optional.of(Result.failure(shapeMessage()));
    }

    private static String shapeMessage() {
        return "the asset property %s must hold a JSON-LD document, as a string or as {\"@type\": \"@json\", \"@value\": {…}}".formatted(KEY);
    }

    private static JsonValue first(JsonValue value) {
        if (value instanceof JsonArray array) {
            return array.isEmpty() ? null : array.get(0);
        }
        return value;
    }
}
