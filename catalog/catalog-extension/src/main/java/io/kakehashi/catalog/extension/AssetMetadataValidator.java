package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.DcatCatalogStore;
import jakarta.json.JsonObject;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;

import java.util.Objects;

/**
 * Checks an asset's DCAT metadata ({@link AssetMetadataProperty}) when the management API creates or updates the
 * asset: no asset at all (an empty body), malformed JSON-LD, a profile violation or an unknown profile becomes one violation per message, which EDC
 * turns into a 400 before anything is stored. An asset without metadata passes. Stores nothing itself.
 * Thread-safe.
 */
public final class AssetMetadataValidator implements Validator<JsonObject> {

    private final DcatCatalogStore store;

    public AssetMetadataValidator(DcatCatalogStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public ValidationResult validate(JsonObject asset) {
        if (asset == null) {
            return ValidationResult.failure(Violation.violation("the asset is missing: the body must be a JSON object", ""));
        }
        var metadata = AssetMetadataProperty.fromExpanded(asset);
        if (metadata.isEmpty()) {
            return ValidationResult.success();
        }
        var checked = metadata.get().compose(store::check);
        if (checked.succeeded()) {
            return ValidationResult.success();
        }
        return ValidationResult.failure(checked.getFailureMessages().stream()
                .map(message -> Violation.violation(message, AssetMetadataProperty.KEY))
                .toList());
    }
}
