package io.kakehashi.lineage;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;

import java.util.ArrayList;
import java.util.List;

import static org.eclipse.edc.validator.spi.Violation.violation;

/**
 * Checks an asset the management API is asked to create or update (expanded JSON-LD) against its lineage: every id
 * its {@value AssetLineage#DERIVED_FROM} property names must be something this connector received, and nothing it
 * derives from may have come under an agreement whose {@code onwardTransfer} is {@code none} — such an asset could
 * only be offered against the agreement. Answers 400 with the reason. Thread-safe.
 */
public final class DerivedAssetValidator implements Validator<JsonObject> {

    private final AssetLineage lineage;

    public DerivedAssetValidator(AssetLineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public ValidationResult validate(JsonObject asset) {
        var declared = new ArrayList<String>();
        for (var properties : objects(asset.get(Asset.EDC_ASSET_PROPERTIES))) {
            values(properties.get(AssetLineage.DERIVED_FROM), declared);
        }
        var addressValues = new ArrayList<String>();
        for (var address : objects(asset.get(Asset.EDC_ASSET_DATA_ADDRESS))) {
            address.forEach((key, value) -> {
                if (!key.startsWith("@")) {
                    values(value, addressValues);
                }
            });
        }
        if (declared.isEmpty() && addressValues.isEmpty()) {
            return ValidationResult.success();
        }
        var found = lineage.of(declared.stream().flatMap(v -> AssetLineage.declared(v).stream()).toList(), addressValues);
        if (found.failed()) {
            return ValidationResult.failure(violation(found.getFailureDetail(), AssetLineage.DERIVED_FROM));
        }
        var assetId = asset.containsKey("@id") ? asset.getString("@id", "") : "";
        for (var restriction : found.getContent().restrictions()) {
            if (restriction.forbidsAll()) {
                return ValidationResult.failure(violation("onwardTransfer: asset '%s' derives from %s received under agreement %s with %s, which allows passing the data on to %s"
                        .formatted(assetId, restriction.source().id(), restriction.agreementId(), restriction.providerId(), restriction.allows()),
                        AssetLineage.DERIVED_FROM));
            }
        }
        return ValidationResult.success();
    }

    private static List<JsonObject> objects(JsonValue value) {
        if (value instanceof JsonObject object) {
            return List.of(object);
        }
        if (value instanceof JsonArray array) {
            return array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
        }
        return List.of();
    }

    // the texts of a JSON-LD value: a string, a value object, or an array of them
    private static void values(JsonValue value, List<String> into) {
        if (value instanceof JsonString text) {
            into.add(text.getString());
        } else if (value instanceof JsonArray array) {
            array.forEach(element -> values(element, into));
        } else if (value instanceof JsonObject object) {
            if (object.containsKey("@value")) {
                values(object.get("@value"), into);
            } else if (object.containsKey("@list")) {
                values(object.get("@list"), into);
            }
        }
    }
}
