package io.kakehashi.policy.auditor;

import io.kakehashi.core.api.ApiKeyAuthenticationService;
import io.kakehashi.identity.spi.SignedRequestVerifier;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.monitor.Monitor;

import java.util.List;
import java.util.Map;

/**
 * Lets an auditor in with its credential: a request to the auditor API with no {@code x-api-key} and an
 * {@code Authorization: Bearer} token is a signed request, verified for its method and target by the connector's
 * identity ({@link SignedRequestVerifier}) and then checked for an auditor credential that covers this connector
 * ({@link AuditorAccess}). A token that does not verify is a 401, a verified caller whose credentials do not allow it a
 * 403, each with a JSON message saying what is wrong (never the token); an accepted token is admitted to EDC's
 * authentication filter, which runs after this one ({@link AdmittedAuditorRequests}). A request with an API key is
 * left to the key. Thread-safe.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public class AuditorCredentialFilter implements ContainerRequestFilter {

    static final String AUDITOR_PROPERTY = "kakehashi.auditor";
    private static final String BEARER = "Bearer ";

    private final SignedRequestVerifier verifier;
    private final AuditorAccess access;
    private final AdmittedAuditorRequests admitted;
    private final Monitor monitor;

    public AuditorCredentialFilter(SignedRequestVerifier verifier, AuditorAccess access, AdmittedAuditorRequests admitted, Monitor monitor) {
        this.verifier = verifier;
        this.access = access;
        this.admitted = admitted;
        this.monitor = monitor;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if ("OPTIONS".equalsIgnoreCase(request.getMethod()) || request.getHeaders().containsKey(ApiKeyAuthenticationService.HEADER)) {
            return;
        }
        var authorizations = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorizations == null || authorizations.isEmpty()) {
            return;
        }
        if (authorizations.size() > 1) {
            refuse(request, Response.Status.UNAUTHORIZED, "more than one Authorization header");
            return;
        }
        var authorization = authorizations.get(0);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return;
        }
        var uri = request.getUriInfo().getRequestUri();
        var target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        var signed = verifier.verify(authorization, request.getMethod(), target);
        if (signed.failed()) {
            refuse(request, Response.Status.UNAUTHORIZED, "signed request refused: " + signed.getFailureDetail());
            return;
        }
        var allowed = access.check(signed.getContent());
        if (allowed.failed()) {
            refuse(request, Response.Status.FORBIDDEN, allowed.getFailureDetail());
            return;
        }
        request.setProperty(AUDITOR_PROPERTY, allowed.getContent());
        admitted.admit(authorization);
    }

    private void refuse(ContainerRequestContext request, Response.Status status, String message) {
        // debug, not warning: anyone who reaches the port can send refused requests, and a log line each would be theirs to multiply
        monitor.debug(() -> "Auditor API: refused %s %s (%d): %s".formatted(request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(),
                status.getStatusCode(), message));
        var type = status == Response.Status.FORBIDDEN ? "NotAuthorized" : "AuthenticationFailed";
        var answer = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(List.of(Map.of("message", message, "type", type)));
        if (status == Response.Status.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        request.abortWith(answer.build());
    }
}
