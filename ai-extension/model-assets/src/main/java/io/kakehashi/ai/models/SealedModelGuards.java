package io.kakehashi.ai.models;

import io.kakehashi.policy.constraints.ai.InferenceRunsConstraintFunction;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest.TRANSFER_REQUEST_CONTRACT_ID;

/**
 * What keeps a sealed model's weights inside the connector, on the management API (expanded JSON-LD, 400 with the
 * reason):
 * <ul>
 *   <li>{@link #assets}: an asset whose data address names a file under the sealed store (a path or a {@code file:}
 *       URI) is refused, so the weights can be neither offered nor transferred onwards, nor computed on;</li>
 *   <li>{@link #transferRequests}: a transfer request under an agreement that sets {@code ai.inferenceRuns} is refused:
 *       such a model is received only into the sealed store ({@code POST /v3/kakehashi/models}), never into a
 *       destination the operator names.</li>
 * </ul>
 * Thread-safe.
 */
public final class SealedModelGuards {

    private SealedModelGuards() {
    }

    public static Validator<JsonObject> assets(SealedModelStore store) {
        return asset -> {
            for (var address : objects(asset.get(Asset.EDC_ASSET_DATA_ADDRESS))) {
                var texts = new ArrayList<String>();
                address.forEach((key, value) -> {
                    if (!key.startsWith("@")) {
                        values(value, texts);
                    }
                });
                for (var text : texts) {
                    var path = path(text);
                    if (path != null && store.holds(path)) {
                        return ValidationResult.failure(Violation.violation(
                                "the data address names a file of the sealed model store: a model received for inference only never leaves the connector",
                                Asset.EDC_ASSET_DATA_ADDRESS));
                    }
                }
            }
            return ValidationResult.success();
        };
    }

    /** @param agreements an agreement by this connector's id, null when there is none */
    public static Validator<JsonObject> transferRequests(Function<String, ContractAgreement> agreements) {
        return request -> {
            var texts = new ArrayList<String>();
            values(request.get(TRANSFER_REQUEST_CONTRACT_ID), texts);
            if (texts.size() != 1) {
                return ValidationResult.success();
            }
            var agreement = agreements.apply(texts.get(0));
            if (agreement == null || InferenceRunsConstraintFunction.limit(agreement.getPolicy()).isEmpty()) {
                return ValidationResult.success();
            }
            return ValidationResult.failure(Violation.violation(("agreement '%s' is for inference only (ai.inferenceRuns): its model is received into "
                    + "the connector's sealed model store with POST /v3/kakehashi/models, not transferred to a destination").formatted(texts.get(0)),
                    TRANSFER_REQUEST_CONTRACT_ID, texts.get(0)));
        };
    }

    private static Path path(String text) {
        try {
            if (text.startsWith("file:")) {
                return Path.of(URI.create(text));
            }
            return text.startsWith("/") ? Path.of(text) : null;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
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
        } else if (value instanceof JsonObject object && object.containsKey("@value")) {
            values(object.get("@value"), into);
        }
    }
}
