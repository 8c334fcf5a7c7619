package io.kakehashi.identity.dcp;

import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Access tokens reused for one verifier while this connector's credentials stay the same: a verifier's presentation
 * cache keys on the access token (decision record 0044), so the same token means "the presentation you read with it is
 * still the one I give". A token is handed out again for the same verifier and scopes until half its lifetime has
 * passed (the verifier then still has the other half to query with it), and never once the credentials this
 * connector holds have changed ({@code credentials}, a fingerprint of the set): a credential received or removed
 * gives the next request a new token, so every verifier asks for the new presentation. Each request's ID token stays
 * fresh (its own {@code jti}). At most {@code maxEntries} verifiers are remembered; the least recently used goes first.
 * Thread-safe.
 */
public final class ReusedAccessTokens implements AccessTokens {

    private record Key(String verifierDid, List<String> scopes) {
    }

    private record Issued(String token, String credentials, Instant reuseUntil) {
    }

    private final SelfIssuedTokens tokens;
    private final Supplier<String> credentials;
    private final Clock clock;
    private final Duration reuseFor;
    private final Map<Key, Issued> issued;

    public ReusedAccessTokens(SelfIssuedTokens tokens, Supplier<String> credentials, Clock clock, int maxEntries) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reuseFor = tokens.lifetime().dividedBy(2);
        if (maxEntries < 1) {
            throw new IllegalArgumentException("at least one verifier must be remembered: " + maxEntries);
        }
        this.issued = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Issued> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public Result<String> accessToken(String verifierDid, List<String> scopes) {
        var key = new Key(verifierDid, List.copyOf(scopes));
        var held = credentials.get();
        var now = clock.instant();
        synchronized (issued) {
            var earlier = issued.get(key);
            if (earlier != null && earlier.credentials().equals(held) && now.isBefore(earlier.reuseUntil())) {
                return Result.success(earlier.token());
            }
        }
        var token = tokens.accessToken(verifierDid, scopes);
        if (token.succeeded()) {
            synchronized (issued) {
                issued.put(key, new Issued(token.getContent(), held, now.plus(reuseFor)));
            }
        }
        return token;
    }
}
