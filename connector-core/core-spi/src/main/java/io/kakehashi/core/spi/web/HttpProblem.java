package io.kakehashi.core.spi.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Why an endpoint refuses a request, as the answer's status and body. The body has EDC's error shape,
 * {@code [{"message": …, "type": …}]}, the one DSP and the request guards answer on every context, so a caller reads
 * every refusal of a connector the same way. A message says what is wrong and never quotes the request; one longer
 * than {@value #MAX_MESSAGE} characters is cut. Immutable and thread-safe.
 */
public record HttpProblem(int status, String type, String message) {

    /** Longest message text handed back. */
    static final int MAX_MESSAGE = 300;

    public HttpProblem {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status is 4xx or 5xx, not " + status);
        }
        message = clip(message);
    }

    /**
     * A problem whose type follows from its status (400 {@code BadRequest}, 403 {@code Forbidden}, 404
     * {@code ObjectNotFound}, 409 {@code ObjectConflict}, 413 {@code PayloadTooLarge}, 503 {@code ServiceUnavailable}).
     */
    public static HttpProblem of(int status, String message) {
        return new HttpProblem(status, typeOf(status), message);
    }

    public static HttpProblem badRequest(String message) {
        return of(400, message);
    }

    public static HttpProblem forbidden(String message) {
        return of(403, message);
    }

    public static HttpProblem conflict(String message) {
        return of(409, message);
    }

    public static HttpProblem tooLarge(String message) {
        return of(413, message);
    }

    public static HttpProblem unavailable(String message) {
        return of(503, message);
    }

    /** The answer's body: {@code [{"message": …, "type": …}]}. */
    public String body() {
        var body = JsonNodeFactory.instance.arrayNode();
        body.addObject().put("message", message).put("type", type);
        return body.toString();
    }

    private static String typeOf(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "AuthenticationFailed";
            case 403 -> "Forbidden";
            case 404 -> "ObjectNotFound";
            case 409 -> "ObjectConflict";
            case 413 -> "PayloadTooLarge";
            case 503 -> "ServiceUnavailable";
            default -> status < 500 ? "InvalidRequest" : "InternalError";
        };
    }

    private static String clip(String text) {
        if (text == null || text.isBlank()) {
            return "the request is refused";
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
