package io.kakehashi.identity.did;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import org.eclipse.edc.iam.did.spi.document.DidDocument;
import org.eclipse.edc.iam.did.spi.document.Service;
import org.eclipse.edc.iam.did.spi.document.VerificationMethod;
import org.eclipse.edc.iam.did.spi.resolution.DidResolver;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.spi.result.Result;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a DID's public keys and services through the resolver registry (and its cache). When a token names a key the
 * cached document lacks — the peer may just have rotated — the document is fetched once more past the cache, at most
 * once per DID per {@code refetchInterval}. Each failure names the check: the DID cannot be resolved, or its document
 * has no such key. Thread-safe.
 */
public class DidPublicKeys {

    private final DidResolverRegistry registry;
    private final DidResolver direct;
    private final Clock clock;
    private final Duration refetchInterval;
    private final Duration documentValidity;
    private final Map<String, Instant> lastRefetch = new ConcurrentHashMap<>();
    private final Map<String, Refetched> refetched = new ConcurrentHashMap<>();

    private record Refetched(DidDocument document, Instant at) {
    }

    /**
     * @param documentValidity how long a document fetched past the cache is used instead of the cached one (the
     *                         registry cache's own validity)
     */
    public DidPublicKeys(DidResolverRegistry registry, DidResolver direct, Clock clock, Duration refetchInterval, Duration documentValidity) {
        this.registry = registry;
        this.direct = direct;
        this.clock = clock;
        this.refetchInterval = refetchInterval;
        this.documentValidity = documentValidity;
    }

    /**
     * The EC P-256 public key of {@code did} named by {@code keyId} — a full verification-method id
     * ({@code did#fragment}), a fragment ({@code #fragment}), or null when the document has exactly one key.
     */
    public Result<ECKey> find(String did, String keyId) {
        var document = resolve(did);
        if (document.failed()) {
            return document.mapFailure();
        }
        var method = select(did, document.getContent(), keyId);
        if (method.isEmpty() && keyId != null && mayRefetch(did)) {
            var fresh = direct.resolve(did);
            if (fresh.succeeded()) {
                refetched.put(did, new Refetched(fresh.getContent(), clock.instant()));
                method = select(did, fresh.getContent(), keyId);
            }
        }
        if (method.isEmpty()) {
            return Result.failure(keyId == null
                    ? "DID document of '%s' does not have exactly one key, and the token names none".formatted(did)
                    : "DID document of '%s' has no verification method '%s'".formatted(did, keyId));
        }
        return toKey(did, method.get());
    }

    /** The DID document of {@code did}; a failure says it cannot be resolved. */
    public Result<DidDocument> resolve(String did) {
        if (did == null || !did.startsWith("did:")) {
            return Result.failure("'%s' is not a DID".formatted(did));
        }
        var fresh = refetched.get(did);
        if (fresh != null) {
            if (clock.instant().isBefore(fresh.at().plus(documentValidity))) {
                return Result.success(fresh.document());
            }
            refetched.remove(did, fresh);
        }
        try {
            var result = registry.resolve(did);
            return result.succeeded() ? result
                    : Result.failure(result.getFailureDetail().startsWith("DID '") ? result.getFailureDetail()
                    : "DID '%s' cannot be resolved: %s".formatted(did, result.getFailureDetail()));
        } catch (RuntimeException e) {
            return Result.failure("DID '%s' cannot be resolved: %s".formatted(did, e.getMessage()));
        }
    }

    /** The endpoint of the DID's service of the given type. */
    public Result<String> serviceEndpoint(String did, String type) {
        // a peer's document may hold null entries or lists: they name nothing
        return resolve(did).compose(document -> Optional.ofNullable(document.getService()).orElse(List.of()).stream()
                .filter(service -> service != null && type.equals(service.getType()))
                .map(Service::getServiceEndpoint)
                .filter(endpoint -> endpoint != null && !endpoint.isBlank())
                .findFirst()
                .map(Result::success)
                .orElseGet(() -> Result.failure("DID document of '%s' has no %s service".formatted(did, type))));
    }

    private boolean mayRefetch(String did) {
        var now = clock.instant();
        var previous = lastRefetch.get(did);
        if (previous != null && now.isBefore(previous.plus(refetchInterval))) {
            return false;
        }
        lastRefetch.put(did, now);
        return true;
    }

    private static Optional<VerificationMethod> select(String did, DidDocument document, String keyId) {
        var methods = Optional.ofNullable(document.getVerificationMethod()).orElse(List.of()).stream().filter(Objects::nonNull).toList();
        if (keyId == null) {
            return methods.size() == 1 ? Optional.of(methods.get(0)) : Optional.empty();
        }
        var absolute = keyId.startsWith("#") ? did + keyId : keyId;
        return methods.stream()
                .filter(m -> m.getId() != null && (m.getId().equals(absolute) || (did + m.getId()).equals(absolute)))
                .findFirst();
    }

    private static Result<ECKey> toKey(String did, VerificationMethod method) {
        if (method.getPublicKeyJwk() == null) {
            return Result.failure("verification method '%s' of '%s' has no publicKeyJwk".formatted(method.getId(), did));
        }
        try {
            var jwk = JWK.parse(method.getPublicKeyJwk());
            if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || ec.isPrivate()) {
                return Result.failure("verification method '%s' of '%s' is not a public EC P-256 key".formatted(method.getId(), did));
            }
            return Result.success(ec);
        } catch (ParseException e) {
            return Result.failure("verification method '%s' of '%s' holds no valid JWK: %s".formatted(method.getId(), did, e.getMessage()));
        }
    }
}
