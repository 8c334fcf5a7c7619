package io.kakehashi.policy.auditor;

import io.kakehashi.core.api.ApiKeyAuthenticationService;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import org.eclipse.edc.spi.monitor.Monitor;

/**
 * Which auditor read what: every request the auditor API answered after letting the caller in is logged at info — the
 * auditor's DID for a signed request with a credential ({@link AuditorCredentialFilter}), "the auditor key" for the
 * connector's own staff, the method, the path and query (clipped), the status. The key and the token are never
 * logged. A refused request (401, 403) is not an auditor's read and stays at debug where the credential filter put it,
 * so that anyone reaching the port cannot multiply log lines. Thread-safe.
 */
public class AuditorReadsLog implements ContainerResponseFilter {

    static final int MAX_TARGET = 300;

    private final Monitor monitor;

    public AuditorReadsLog(Monitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        var status = response.getStatus();
        if (status == 401 || status == 403 || "OPTIONS".equalsIgnoreCase(request.getMethod())) {
            return;
        }
        var who = who(request);
        if (who == null) {
            return;
        }
        var uri = request.getUriInfo().getRequestUri();
        var target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        monitor.info("%s read %s %s (%d)".formatted(who, request.getMethod(), clip(target), status));
    }

    /** The auditor the request came from; null when it was let in by neither a credential nor the key. */
    static String who(ContainerRequestContext request) {
        if (request.getProperty(AuditorCredentialFilter.AUDITOR_PROPERTY) instanceof String auditor) {
            return "auditor " + auditor;
        }
        return request.getHeaders().containsKey(ApiKeyAuthenticationService.HEADER) ? "the auditor key" : null;
    }

    private static String clip(String target) {
        var printable = target.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= MAX_TARGET ? printable : printable.substring(0, MAX_TARGET) + "…";
    }
}
