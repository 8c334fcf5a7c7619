package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.spi.TokenTimes;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Verifies a holder's JWT presentation — a VC 2.0 {@code vp+jwt} with enveloped credentials, or a VC 1.1 JWT
 * presentation (the presentation in its {@code vp} claim, credentials as JWT strings): signed by the holder's own DID
 * key, naming the holder as issuer (and {@code holder} where given), addressed to this connector, within its lifetime;
 * then every credential inside with the {@link CredentialVerifier}. Each failure names its check. The cheap checks
 * ({@link #inspect}: its form, holder, audience, lifetime and a count of credentials no larger than
 * {@link PresentationLimits#maxCredentialsPerPresentation()}) come before any key is resolved or signature checked.
 * Thread-safe.
 */
public class PresentationVerifier {

    private static final String ENVELOPE_PREFIX = "data:application/vc+jwt,";
    private static final String VP_CLAIM = "vp";

    private final DidPublicKeys keys;
    private final CredentialVerifier credentials;
    /** A presentation's lifetime is bounded by the ID token that asked for it, which the same rule checked. */
    private final TokenTimes times;
    private final int maxCredentials;

    /** A verifier that takes as many credentials in one presentation as a query of DCP's three default types needs. */
    public PresentationVerifier(DidPublicKeys keys, CredentialVerifier credentials, Clock clock, Duration clockSkew) {
        this(keys, credentials, clock, clockSkew, PresentationLimits.forScopes(3).maxCredentialsPerPresentation());
    }

    public PresentationVerifier(DidPublicKeys keys, CredentialVerifier credentials, Clock clock, Duration clockSkew, int maxCredentials) {
        this.keys = keys;
        this.credentials = credentials;
        this.times = new TokenTimes(clock, clockSkew, null);
        this.maxCredentials = maxCredentials;
    }

    /** A presentation that passed the cheap checks: its JWS, whether it is VC 1.1, the presentation and its credentials. */
    public record Inspected(Jws.Parsed jws, boolean vc11, Map<String, Object> vp, Collection<?> credentials) { }

    /**
     * Until when the credentials of a verified presentation may be relied on without fetching and verifying them again
     * ({@link CredentialVerifier#reusableUntil}, the earliest of them).
     */
    public Instant reusableUntil(List<VerifiableCredential> verified) {
        return verified.stream().map(credentials::reusableUntil).min(Instant::compareTo).orElse(Instant.MAX);
    }

    public Result<List<VerifiableCredential>> verify(String jwt, String holderDid, String ownDid) {
        var inspected = inspect(jwt, holderDid, ownDid);
        if (inspected.failed()) {
            return inspected.mapFailure();
        }
        var presentation = inspected.getContent();
        var key = keys.find(holderDid, presentation.jws().keyId());
        if (key.failed()) {
            return Result.failure("presentation: " + key.getFailureDetail());
        }
        if (!presentation.jws().verifies(key.getContent())) {
            return Result.failure("presentation signature does not verify against key '%s' of '%s'".formatted(presentation.jws().keyId(), holderDid));
        }
        var verified = new ArrayList<VerifiableCredential>();
        for (var entry : presentation.credentials()) {
            var credential = credentials.verify(envelopedJwt(entry), holderDid);
            if (credential.failed()) {
                return credential.mapFailure();
            }
            verified.add(credential.getContent());
        }
        return Result.success(verified);
    }

    /**
     * The checks that resolve no key and verify no signature: the JWT's form, the holder, the audience, the lifetime,
     * the presentation's form, and its credentials (each an enveloped JWT, no more than the limit).
     */
    public Result<Inspected> inspect(String jwt, String holderDid, String ownDid) {
        var parsed = Jws.parse(jwt, "presentation");
        if (parsed.failed()) {
            return parsed.mapFailure();
        }
        var payload = parsed.getContent().payload();
        // a VC 1.1 JWT presentation carries the presentation in its vp claim, the holder being the JWT's issuer
        var vc11 = payload.get(VP_CLAIM) instanceof Map<?, ?>;
        @SuppressWarnings("unchecked")
        var vp = vc11 ? (Map<String, Object>) payload.get(VP_CLAIM) : payload;
        var holder = vc11 && !vp.containsKey("holder") ? payload.get("iss") : vp.get("holder");
        if (!holderDid.equals(payload.get("iss")) || !holderDid.equals(holder)) {
            return Result.failure("presentation issuer/holder '%s' is not the caller '%s'".formatted(holder, holderDid));
        }
        var audience = payload.get("aud");
        if (!ownDid.equals(audience) && !entries(audience).contains(ownDid)) {
            return Result.failure("presentation audience %s does not name this connector".formatted(audience));
        }
        for (var claim : List.of("exp", "iat", "nbf")) {
            if (payload.get(claim) != null && epochSeconds(payload.get(claim)) == null) {
                return Result.failure("presentation %s is not a time in seconds since 1970".formatted(claim));
            }
        }
        var timed = times.check("presentation", epochSeconds(payload.get("iat")), epochSeconds(payload.get("exp")), epochSeconds(payload.get("nbf")));
        if (timed.failed()) {
            return timed.mapFailure();
        }
        if (!vc11 && (!(vp.get("@context") instanceof List<?> contexts) || contexts.isEmpty() || !Credentials.VC_CONTEXT.equals(contexts.get(0)))) {
            return Result.failure("presentation is neither VC Data Model 2.0 nor a VC 1.1 JWT presentation (vp claim)");
        }
        var entries = entries(vp.get("verifiableCredential"));
        if (entries.size() > maxCredentials) {
            return Result.failure("presentation holds %d credentials, more than the %d verified in one (%s)"
                    .formatted(entries.size(), maxCredentials, PresentationLimits.MAX_CREDENTIALS_PER_PRESENTATION));
        }
        if (entries.stream().anyMatch(entry -> envelopedJwt(entry) == null)) {
            return Result.failure("presentation holds a credential that is not an enveloped vc+jwt");
        }
        return Result.success(new Inspected(parsed.getContent(), vc11, vp, entries));
    }

    /** A NumericDate claim as an instant; null when it is not a finite number of a plausible size. */
    private static Instant epochSeconds(Object value) {
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            return null;
        }
        // some 31 million years either way: no real time lies beyond, and the bound stays clear of Instant's own limits
        // (which a double near them could cross when converted)
        if (Math.abs(number.doubleValue()) > 1e15) {
            return null;
        }
        return Instant.ofEpochSecond(number.longValue());
    }

    private static Collection<?> entries(Object value) {
        if (value instanceof Collection<?> list) {
            return list;
        }
        return value == null ? List.of() : List.of(value);
    }

    private static String envelopedJwt(Object entry) {
        if (entry instanceof String text) {
            return text;
        }
        if (entry instanceof Map<?, ?> envelope) {
            var id = envelope.get("id");
            if (id instanceof String text && text.startsWith(ENVELOPE_PREFIX)) {
                return text.substring(ENVELOPE_PREFIX.length());
            }
        }
        return null;
    }
}
