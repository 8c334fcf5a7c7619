package io.kakehashi.core.api;

import org.eclipse.edc.api.auth.spi.AuthenticationService;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a token-based web context accepts besides its API key: at most one other authentication per context, which an
 * extension registers while it initializes. The {@link TokenBasedAuthenticationExtension} then authenticates a request
 * to that context when either its key or the other authentication accepts it (the auditor API: the staff's key, or an
 * auditor's credential). Thread-safe.
 */
public final class ApiKeyAlternatives {

    private final Map<String, AuthenticationService> alternatives = new ConcurrentHashMap<>();

    /** Registers the other authentication of {@code context}; a second registration for one context is refused. */
    public void register(String context, AuthenticationService alternative) {
        if (alternatives.putIfAbsent(context, alternative) != null) {
            throw new IllegalStateException("context '%s' already has an authentication besides its API key".formatted(context));
        }
    }

    public Optional<AuthenticationService> forContext(String context) {
        return Optional.ofNullable(alternatives.get(context));
    }

    /** An authentication that accepts what either {@code first} or {@code second} accepts, asking {@code first} first. */
    static AuthenticationService either(AuthenticationService first, AuthenticationService second) {
        return headers -> first.isAuthenticated(headers) || second.isAuthenticated(headers);
    }
}
