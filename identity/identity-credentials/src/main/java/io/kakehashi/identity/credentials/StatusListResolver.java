package io.kakehashi.identity.credentials;

import io.kakehashi.identity.did.DidPublicKeys;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a credential against the Bitstring Status Lists its issuer publishes. A status list credential is fetched,
 * its signature verified against the issuer's DID document (it must come from the credential's own issuer), and kept
 * for {@code cacheValidity} (never past its own {@code validUntil}). Each failure names the check. Thread-safe.
 */
public class StatusListResolver {

    private record Cached(String issuer, String purpose, StatusList list, Instant fetched, Instant expires) {
    }

    private final DocumentFetcher fetcher;
    private final DidPublicKeys keys;
    private final Clock clock;
    private final Duration cacheValidity;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public StatusListResolver(DocumentFetcher fetcher, DidPublicKeys keys, Clock clock, Duration cacheValidity) {
        this.fetcher = fetcher;
        this.keys = keys;
        this.clock = clock;
        this.cacheValidity = cacheValidity;
    }

    /** Succeeds when no revocation entry of the credential is set. */
    public Result<Void> checkNotRevoked(VerifiableCredential credential) {
        for (var entry : credential.status()) {
            if (!StatusEntry.REVOCATION.equals(entry.purpose())) {
                continue;
            }
            var list = list(entry.listCredential(), credential.issuer());
            if (list.failed()) {
                return list.mapFailure();
            }
            if (!list.getContent().purpose().equals(entry.purpose())) {
                return Result.failure("status list %s has purpose '%s', the credential's entry '%s'".formatted(entry.listCredential(), list.getContent().purpose(), entry.purpose()));
            }
            if (entry.index() >= list.getContent().list().size()) {
                return Result.failure("status index %d is outside the status list %s".formatted(entry.index(), entry.listCredential()));
            }
            if (list.getContent().list().get(entry.index())) {
                return Result.failure("credential %s from '%s' is revoked (status list %s, index %d)"
                        .formatted(credential.id().orElse("(no id)"), credential.issuer(), entry.listCredential(), entry.index()));
            }
        }
        return Result.success();
    }

    /**
     * Until when a check of this credential may be relied on without asking the status lists again: the earliest time
     * one of its revocation lists leaves this cache (now, when one is not cached). A credential with no revocation
     * entry is not bounded here.
     */
    public Optional<Instant> checkedUntil(VerifiableCredential credential) {
        var now = clock.instant();
        Instant until = null;
        for (var entry : credential.status()) {
            if (!StatusEntry.REVOCATION.equals(entry.purpose())) {
                continue;
            }
            var cached = cache.get(entry.listCredential());
            var expires = cached == null || cached.expires().isBefore(now) ? now : cached.expires();
            until = until == null || expires.isBefore(until) ? expires : until;
        }
        return Optional.ofNullable(until);
    }

    private Result<Cached> list(String url, String issuer) {
        var now = clock.instant();
        var cached = cache.get(url);
        if (cached == null || !now.isBefore(cached.expires())) {
            var fetched = fetch(url, now);
            if (fetched.failed()) {
                return fetched;
            }
            cached = fetched.getContent();
            cache.put(url, cached);
        }
        if (!cached.issuer().equals(issuer)) {
            return Result.failure("status list %s was issued by '%s', not by the credential's issuer '%s'".formatted(url, cached.issuer(), issuer));
        }
        return Result.success(cached);
    }

    private Result<Cached> fetch(String url, Instant now) {
        var body = fetcher.fetch(url);
        if (body.failed()) {
            return Result.failure("status list %s cannot be fetched: %s".formatted(url, body.getFailureDetail()));
        }
        var parsed = Jws.parse(body.getContent(), "status list " + url);
        if (parsed.failed()) {
            return parsed.mapFailure();
        }
        var read = VerifiableCredential.read(parsed.getContent().payload());
        if (read.failed()) {
            return Result.failure("status list %s: %s".formatted(url, read.getFailureDetail()));
        }
        var credential = read.getContent();
        if (!credential.hasType(Credentials.STATUS_LIST)) {
            return Result.failure("status list %s is not a %s".formatted(url, Credentials.STATUS_LIST));
        }
        var key = keys.find(credential.issuer(), parsed.getContent().keyId());
        if (key.failed()) {
            return Result.failure("status list %s: %s".formatted(url, key.getFailureDetail()));
        }
        if (!parsed.getContent().verifies(key.getContent())) {
            return Result.failure("status list %s: signature does not verify against the key of '%s'".formatted(url, credential.issuer()));
        }
        if (credential.validFrom().isAfter(now) || credential.validUntil().map(until -> !now.isBefore(until)).orElse(false)) {
            return Result.failure("status list %s is not valid now (%s – %s)".formatted(url, credential.validFrom(), credential.validUntil().map(Instant::toString).orElse("")));
        }
        if (!(credential.subject().get("encodedList") instanceof String encoded)) {
            return Result.failure("status list %s has no encodedList".formatted(url));
        }
        var purpose = credential.subject().get("statusPurpose") instanceof String text ? text : "";
        var list = StatusList.decode(encoded);
        if (list.failed()) {
            return Result.failure("status list %s: %s".formatted(url, list.getFailureDetail()));
        }
        var expires = now.plus(cacheValidity);
        if (credential.validUntil().isPresent() && credential.validUntil().get().isBefore(expires)) {
            expires = credential.validUntil().get();
        }
        return Result.success(new Cached(credential.issuer(), purpose, list.getContent(), now, expires));
    }
}
