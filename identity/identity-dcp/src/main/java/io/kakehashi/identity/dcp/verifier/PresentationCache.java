package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.spi.VerifiedClaims;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The claims of a peer's verified presentation, kept per (peer DID, requested scopes, access token) so that a burst
 * of DSP requests from one peer costs one presentation query. The access token is part of the key because it is what
 * the presentation was asked with: a peer that sends the same token again vouches for the same presentation (a
 * Kakehashi holder reuses its token while its credentials stay the same, {@code ReusedAccessTokens}); a peer that
 * sends a new one — a stock EDC participant, the DCP TCK — is asked again, so what it presents now is what counts.
 * An entry lives until the earliest of: {@code maxAge} after it was
 * verified, the expiry of any credential it rests on, and the time the status lists it was checked against leave
 * their cache — so a revocation is seen as soon as it would be without this cache. Only accepted presentations are
 * kept; the ID token of every request is still verified in full. At most {@code maxEntries} entries: the least
 * recently used goes first. A {@code maxAge} of zero disables the cache. Thread-safe.
 */
public final class PresentationCache {

    private record Key(String did, List<String> scopes, String accessToken) {
    }

    private record Entry(VerifiedClaims claims, Instant expires) {
    }

    private final Duration maxAge;
    private final int maxEntries;
    private final Clock clock;
    private final Map<Key, Entry> entries;

    /**
     * @throws IllegalArgumentException for a negative age or fewer than one entry
     */
    public PresentationCache(Duration maxAge, int maxEntries, Clock clock) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("the presentation cache age must not be negative: " + maxAge);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the presentation cache must hold at least one entry: " + maxEntries);
        }
        this.maxAge = maxAge;
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > PresentationCache.this.maxEntries;
            }
        };
    }

    /** A cache that keeps nothing. */
    public static PresentationCache disabled() {
        return new PresentationCache(Duration.ZERO, 1, Clock.systemUTC());
    }

    public boolean enabled() {
        return !maxAge.isZero();
    }

    /**
     * The claims verified for the peer and scopes, if they are still fresh.
     */
    public synchronized Optional<VerifiedClaims> get(String did, List<String> scopes, String accessToken) {
        var key = new Key(did, List.copyOf(scopes), digest(accessToken));
        var entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.claims());
    }

    /**
     * Keeps the claims of an accepted presentation until {@code maxAge} from now or {@code reusableUntil}, whichever
     * is earlier; nothing is kept when that is not in the future.
     */
    public synchronized void put(String did, List<String> scopes, String accessToken, VerifiedClaims claims, Instant reusableUntil) {
        if (!enabled()) {
            return;
        }
        var now = clock.instant();
        var byAge = now.plus(maxAge);
        var expires = reusableUntil.isBefore(byAge) ? reusableUntil : byAge;
        var key = new Key(did, List.copyOf(scopes), digest(accessToken));
        if (!now.isBefore(expires)) {
            entries.remove(key);
            return;
        }
        entries.put(key, new Entry(claims, expires));
    }

    /** The access token is kept as its SHA-256 only: the cache never holds a credential that lets anyone read. */
    private static String digest(String accessToken) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public synchronized int size() {
        return entries.size();
    }
}
