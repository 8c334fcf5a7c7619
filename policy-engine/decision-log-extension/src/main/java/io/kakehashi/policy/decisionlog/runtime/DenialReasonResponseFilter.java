package io.kakehashi.policy.decisionlog.runtime;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Adds the disclosed reason of a policy denial to the DSP error that EDC sends back, when EDC's own message does not
 * already carry it (EDC answers a refused transfer request only with "agreement not found or not valid"). Runs on
 * the protocol web context; the request filter half forgets anything a previous request left on the thread.
 * Thread-safe.
 */
final class DenialReasonResponseFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private final RecentDenial recentDenial;

    DenialReasonResponseFilter(RecentDenial recentDenial) {
        this.recentDenial = recentDenial;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        recentDenial.clear();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        var denial = recentDenial.take();
        if (denial.isEmpty() || response.getStatus() < 400 || !(response.getEntity() instanceof JsonObject error)) {
            return;
        }
        response.setEntity(withReason(error, denial.get()));
    }

    /**
     * The error with the reason appended to its {@code reason} array (whatever namespace the protocol version gives
     * the term), unless one of its reasons already contains it.
     */
    static JsonObject withReason(JsonObject error, String reason) {
        var key = error.keySet().stream().filter(DenialReasonResponseFilter::isReasonTerm).findFirst().orElse(null);
        if (key == null) {
            return error;
        }
        var existing = error.get(key);
        var reasons = Json.createArrayBuilder();
        if (existing instanceof JsonArray array) {
            for (var value : array) {
                if (text(value).contains(reason)) {
                    return error;
                }
                reasons.add(value);
            }
        } else if (existing != null) {
            if (text(existing).contains(reason)) {
                return error;
            }
            reasons.add(existing);
        }
        reasons.add(reason);
        return Json.createObjectBuilder(error).add(key, reasons).build();
    }

    private static boolean isReasonTerm(String key) {
        return key.equals("reason") || key.endsWith("/reason") || key.endsWith(":reason") || key.endsWith("#reason");
    }

    private static String text(JsonValue value) {
        if (value instanceof JsonString string) {
            return string.getString();
        }
        if (value instanceof JsonObject object && object.get("@value") instanceof JsonString string) {
            return string.getString();
        }
        return value.toString();
    }
}
