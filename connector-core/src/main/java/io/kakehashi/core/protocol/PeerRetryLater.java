package io.kakehashi.core.protocol;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The answer to a peer's DSP message that arrived before this connector saved its own preceding transition and
 * still found it unsaved after the wait: {@code 503} with {@code Retry-After}, which EDC's DSP dispatcher retries
 * with its backoff (decision 0020), where EDC's own {@code 409} would end the peer's process. The body names the
 * message type and nothing stored.
 */
public final class PeerRetryLater extends WebApplicationException {

    public PeerRetryLater(String messageType, Duration retryAfter) {
        this(messageType, "arrived before this connector saved its preceding transition", retryAfter);
    }

    /** @param why what keeps the message from being handled now, after the message type ("… arrived before …") */
    public PeerRetryLater(String messageType, String why, Duration retryAfter) {
        super("%s %s".formatted(messageType, why), response("%s %s; retry".formatted(messageType, why), retryAfter));
    }

    private static Response response(String message, Duration retryAfter) {
        var seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        var body = List.of(Map.of(
                "type", "ServiceUnavailable",
                "message", message));
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }
}
