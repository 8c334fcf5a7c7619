package io.kakehashi.core.web.guard;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of DSP messages whose absence or wrong JSON type EDC 0.15.1 does not check before it builds the message
 * (its builders then throw, or PostgreSQL refuses a null): in an expanded {@code TransferRequestMessage} the
 * {@code consumerPid}, {@code agreementId} and {@code callbackAddress} are required strings and a {@code dataAddress}
 * is an object; in a {@code ContractRequestMessage} the {@code consumerPid} is a required string and so is the
 * {@code callbackAddress} of the first request (without a {@code providerPid}). Every other pid of a DSP message, when
 * present, is a string. For the DSP versions EDC serves (2025-1, 2024-1, 0.8). Stateless; thread-safe.
 */
public final class DspMessageShapes {

    static final List<String> NAMESPACES = List.of("https://w3id.org/dspace/2025/1/", "https://w3id.org/dspace/2024/1/",
            "https://w3id.org/dspace/v0.8/");
    private static final List<String> OTHER_MESSAGES = List.of("ContractAgreementMessage", "ContractAgreementVerificationMessage",
            "ContractNegotiationEventMessage", "ContractNegotiationTerminationMessage", "ContractOfferMessage",
            "TransferStartMessage", "TransferCompletionMessage", "TransferTerminationMessage", "TransferSuspensionMessage");

    private DspMessageShapes() {
    }

    /** Registers the checks with the registry {@link ExpandedBodyInterceptor} consults. */
    public static void register(JsonObjectValidatorRegistry registry) {
        for (var ns : NAMESPACES) {
            registry.register(ExpandedBodyInterceptor.validationKey(ns + "TransferRequestMessage"), message -> {
                var violations = new ArrayList<Violation>();
                requiredString(message, ns, "consumerPid", violations);
                requiredString(message, ns, "agreementId", violations);
                requiredString(message, ns, "callbackAddress", violations);
                optionalString(message, ns, "format", violations);
                optionalObject(message, ns, "dataAddress", violations);
                return result(violations);
            });
            registry.register(ExpandedBodyInterceptor.validationKey(ns + "ContractRequestMessage"), message -> {
                var violations = new ArrayList<Violation>();
                requiredString(message, ns, "consumerPid", violations);
                optionalString(message, ns, "providerPid", violations);
                if (message.containsKey(ns + "providerPid")) {
                    optionalString(message, ns, "callbackAddress", violations);
                } else {
                    requiredString(message, ns, "callbackAddress", violations);
                }
                return result(violations);
            });
            Validator<JsonObject> pids = message -> {
                var violations = new ArrayList<Violation>();
                optionalString(message, ns, "consumerPid", violations);
                optionalString(message, ns, "providerPid", violations);
                optionalString(message, ns, "callbackAddress", violations);
                return result(violations);
            };
            OTHER_MESSAGES.forEach(type -> registry.register(ExpandedBodyInterceptor.validationKey(ns + type), pids));
        }
    }

    private static ValidationResult result(List<Violation> violations) {
        return violations.isEmpty() ? ValidationResult.success() : ValidationResult.failure(violations);
    }

    private static void requiredString(JsonObject message, String ns, String name, List<Violation> violations) {
        if (!message.containsKey(ns + name)) {
            violations.add(Violation.violation("%s is required (a string)".formatted(name), name));
        } else {
            optionalString(message, ns, name, violations);
        }
    }

    private static void optionalString(JsonObject message, String ns, String name, List<Violation> violations) {
        var value = single(message.get(ns + name));
        if (value == null) {
            return;
        }
        var literal = value instanceof JsonObject object ? object.getOrDefault("@value", object.get("@id")) : value;
        if (!(literal instanceof JsonString)) {
            violations.add(Violation.violation("%s must be a string".formatted(name), name));
        }
    }

    private static void optionalObject(JsonObject message, String ns, String name, List<Violation> violations) {
        var value = single(message.get(ns + name));
        if (value == null) {
            return;
        }
        // a bare string becomes a @value, or a lone @id when the context makes the term an IRI: neither is an address
        if (!(value instanceof JsonObject object) || object.containsKey("@value") || object.keySet().equals(java.util.Set.of("@id"))) {
            violations.add(Violation.violation("%s must be an object".formatted(name), name));
        }
    }

    /** The one value of an expanded property; a list of several is returned as the list, which no check accepts. */
    private static JsonValue single(JsonValue value) {
        if (value instanceof JsonArray array) {
            return array.size() == 1 ? array.get(0) : array.isEmpty() ? null : array;
        }
        return value;
    }
}
