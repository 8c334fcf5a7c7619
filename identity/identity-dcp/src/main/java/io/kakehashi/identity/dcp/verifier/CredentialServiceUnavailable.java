package io.kakehashi.identity.dcp.verifier;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * A DSP request whose token cannot be verified yet because the caller's credential service could not be asked (no
 * connection, a timeout, or an answer of 429, 502, 503 or 504): {@code 503} with {@code Retry-After}, which EDC's DSP
 * dispatcher sends again with its backoff (decision 0020). A {@code 401} would be final and end the caller's
 * negotiation or transfer over a moment's unavailability of its own service. Nothing is decided and nothing stored;
 * the body names the caller's credential service address (from its own DID document) and what failed, nothing else.
 */
public final class CredentialServiceUnavailable extends WebApplicationException {

    static final int RETRY_AFTER_SECONDS = 2;

    public CredentialServiceUnavailable(String detail) {
        super(detail, Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(List.of(Map.of("type", "ServiceUnavailable",
                        "message", "the request's token cannot be verified yet: " + detail + "; retry")))
                .build());
    }
}
