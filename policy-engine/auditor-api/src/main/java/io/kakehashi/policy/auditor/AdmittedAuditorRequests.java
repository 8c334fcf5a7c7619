package io.kakehashi.policy.auditor;

import org.eclipse.edc.api.auth.spi.AuthenticationService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hand-over between the {@link AuditorCredentialFilter}, which verifies a signed request with the request's method
 * and target, and EDC's authentication filter, which asks the context's authentication with the headers alone: the
 * credential filter admits the request's token, and this authentication accepts a request whose {@code Authorization}
 * carries an admitted token — once, since each token is accepted for one request only. A token not taken within
 * {@link #HOLD} is dropped. Thread-safe.
 */
public final class AdmittedAuditorRequests implements AuthenticationService {

    /** Longer than any request takes from one filter to the next; shorter than a token lives. */
    static final Duration HOLD = Duration.ofMinutes(1);
    private static final String BEARER = "Bearer ";

    private final Map<String, Instant> admitted = new ConcurrentHashMap<>();
    private final Clock clock;

    public AdmittedAuditorRequests(Clock clock) {
        this.clock = clock;
    }

    /** Admits the {@code Authorization} value of a verified signed request. */
    void admit(String authorization) {
        var now = clock.instant();
        admitted.values().removeIf(at -> at.plus(HOLD).isBefore(now));
        admitted.put(authorization.trim(), now);
    }

    @Override
    public boolean isAuthenticated(Map<String, List<String>> headers) {
        Objects.requireNonNull(headers, "headers");
        var values = headers.entrySet().stream()
                .filter(header -> "Authorization".equalsIgnoreCase(header.getKey()))
                .map(Map.Entry::getValue)
                .filter(Objects::nonNull)
                .flatMap(List::stream)
                .toList();
        if (values.size() != 1 || values.get(0) == null || !values.get(0).regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        var at = admitted.remove(values.get(0).trim());
        return at != null && !at.plus(HOLD).isBefore(clock.instant());
    }
}
