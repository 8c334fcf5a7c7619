package io.kakehashi.identity.credentials;

import io.kakehashi.identity.did.DidPublicKeys;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Verifies one JWT-secured credential presented by a holder, in this order, each failure naming its check: it is a
 * VC 2.0 {@code vc+jwt} or a VC 1.1 JWT credential ({@link VerifiableCredential#fromJwtPayload}); its issuer is a trusted issuer for its types; the issuer's DID resolves and holds the signing key;
 * the signature verifies; its subject is the presenter; it is valid now (within the clock skew); its subject satisfies
 * its type's rules (country code, registry-identifier check digits); its subject satisfies the JSON schemas it
 * names ({@link CredentialSchemas}); it is not revoked. Thread-safe.
 */
public class CredentialVerifier {

    private final DidPublicKeys keys;
    private final TrustedIssuers trustedIssuers;
    private final StatusListResolver statusLists;
    private final CredentialSchemas schemas;
    private final Clock clock;
    private final Duration clockSkew;

    /** A verifier that refuses every credential naming a {@code credentialSchema} (it has no way to fetch one). */
    public CredentialVerifier(DidPublicKeys keys, TrustedIssuers trustedIssuers, StatusListResolver statusLists, Clock clock, Duration clockSkew) {
        this(keys, trustedIssuers, statusLists, new CredentialSchemas(url -> Result.failure("no schema fetching configured"), clock, Duration.ZERO), clock, clockSkew);
    }

    public CredentialVerifier(DidPublicKeys keys, TrustedIssuers trustedIssuers, StatusListResolver statusLists, CredentialSchemas schemas,
                              Clock clock, Duration clockSkew) {
        this.keys = keys;
        this.trustedIssuers = trustedIssuers;
        this.statusLists = statusLists;
        this.schemas = schemas;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /**
     * Until when a credential this verifier accepted may be relied on without verifying it again: the earliest of
     * its {@code validUntil} and the time its revocation status lists leave the status-list cache — so a revocation
     * is still seen within the status-list cache time.
     */
    public Instant reusableUntil(VerifiableCredential credential) {
        var until = credential.validUntil().orElse(Instant.MAX);
        var checked = statusLists.checkedUntil(credential);
        return checked.isPresent() && checked.get().isBefore(until) ? checked.get() : until;
    }

    public Result<VerifiableCredential> verify(String jwt, String holderDid) {
        var parsed = Jws.parse(jwt, "credential");
        if (parsed.failed()) {
            return parsed.mapFailure();
        }
        var read = VerifiableCredential.fromJwtPayload(parsed.getContent().payload());
        if (read.failed()) {
            return read;
        }
        var credential = read.getContent();
        var trusted = trustedIssuers.check(credential.issuer(), credential.types());
        if (trusted.failed()) {
            return trusted.mapFailure();
        }
        var key = keys.find(credential.issuer(), parsed.getContent().keyId());
        if (key.failed()) {
            return Result.failure("credential issuer: " + key.getFailureDetail());
        }
        if (!parsed.getContent().verifies(key.getContent())) {
            return Result.failure("signature of the %s from '%s' does not verify against its key".formatted(credential.types(), credential.issuer()));
        }
        if (!credential.subjectId().equals(holderDid)) {
            return Result.failure("credential subject '%s' is not the presenter '%s'".formatted(credential.subjectId(), holderDid));
        }
        var now = clock.instant();
        if (credential.validFrom().isAfter(now.plus(clockSkew))) {
            return Result.failure("credential %s is not valid before %s".formatted(credential.types(), credential.validFrom()));
        }
        if (credential.validUntil().isPresent() && !now.minus(clockSkew).isBefore(credential.validUntil().get())) {
            return Result.failure("credential %s expired at %s".formatted(credential.types(), credential.validUntil().get()));
        }
        // Kakehashi's vocabulary is that of its VC 2.0 credentials; a VC 1.1 JWT's subject is checked where it uses it
        if (credential.format() == VerifiableCredential.Format.VC11_JWT) {
            var rules = SubjectRules.checkGiven(credential.subject());
            if (rules.failed()) {
                return Result.failure("credential %s: %s".formatted(credential.types(), rules.getFailureDetail()));
            }
        }
        for (var type : credential.format() == VerifiableCredential.Format.VC2_JWT ? credential.types() : List.<String>of()) {
            var rules = SubjectRules.check(type, credential.subject());
            if (rules.failed()) {
                return Result.failure("credential %s: %s".formatted(type, rules.getFailureDetail()));
            }
        }
        var json = parsed.getContent().payload();
        @SuppressWarnings("unchecked")
        var credentialJson = credential.format() == VerifiableCredential.Format.VC11_JWT
                ? (java.util.Map<String, Object>) json.get(VerifiableCredential.VC_CLAIM) : json;
        var schema = schemas.check(credentialJson);
        if (schema.failed()) {
            return Result.failure("credential %s: %s".formatted(credential.types(), schema.getFailureDetail()));
        }
        var status = statusLists.checkNotRevoked(credential);
        return status.failed() ? status.mapFailure() : Result.success(credential);
    }
}
