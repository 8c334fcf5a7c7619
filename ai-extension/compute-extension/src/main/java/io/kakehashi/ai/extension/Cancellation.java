package io.kakehashi.ai.extension;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.spi.InMemoryJsonMapper;
import org.eclipse.edc.spi.result.Result;

import java.util.Set;

/**
 * The optional body of a cancel, on either side: why, in the operator's words ({@value #MAX_REASON} characters at
 * most), kept after "cancelled by …" in the job's reason. Immutable; thread-safe.
 */
public record Cancellation(String reason) {

    public static final int MAX_REASON = 500;
    public static final Cancellation NONE = new Cancellation(null);
    /** The JSON-LD form's shape: {@code {"@type": "ComputeJobCancellation", "reason"?}}. */
    public static final ComputeRequestShape SHAPE = new ComputeRequestShape(ComputeJsonLd.CANCELLATION, true, Set.of(), Set.of("reason"),
            Set.of(), java.util.Map.of());
    private static final ObjectMapper MAPPER = InMemoryJsonMapper.create();

    /** Who cancelled and why: {@code side}, then {@code ": <reason>"} when one was given. */
    public String by(String side) {
        return reason == null ? side : "%s: %s".formatted(side, reason);
    }

    /** The job's reason: {@code "cancelled by "} and {@link #by}. */
    public String reasonOf(String side) {
        return "cancelled by " + by(side);
    }

    /** Reads the plain form {@code {"reason"?}}. */
    public static Result<Cancellation> parse(String body) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Result.failure("the body is not JSON");
        }
        if (root == null) {
            return Result.success(NONE);
        }
        if (!root.isObject()) {
            return Result.failure("the body must be a JSON object, optionally with a reason");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            var name = names.next();
            if (!name.equals("reason")) {
                return Result.failure("unknown member '%s' (known: reason)".formatted(name));
            }
        }
        var reason = root.path("reason");
        if (reason.isMissingNode() || reason.isNull()) {
            return Result.success(NONE);
        }
        if (!reason.isTextual() || reason.asText().isBlank() || reason.asText().length() > MAX_REASON) {
            return Result.failure("reason: a text of 1 to %d characters".formatted(MAX_REASON));
        }
        return Result.success(new Cancellation(reason.asText().strip()));
    }
}
